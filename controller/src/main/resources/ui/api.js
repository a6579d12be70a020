// The admin API as the page calls it: the operator's token lives in this tab's session storage
// (never a cookie) and goes in the Authorization header, so no other site can make the browser
// send it (docs/dashboard.md, "Security").

const KEY = 'haddns.token';
/** A node that has not answered in this long counts as not answering. */
const TIMEOUT_MS = 5000;

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

export const token = {
  get: () => sessionStorage.getItem(KEY) || '',
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

/** Calls the API; resolves to the parsed JSON body, rejects with ApiError (status 0: no answer). */
export async function api(method, path, body) {
  const headers = {Accept: 'application/json'};
  const t = token.get();
  if (t) headers.Authorization = 'Bearer ' + t;
  const init = {method, headers, cache: 'no-store', credentials: 'omit',
    signal: AbortSignal.timeout(TIMEOUT_MS)};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'this node is not answering');
  }
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const message = data && typeof data.error === 'string' ? data.error : 'HTTP ' + res.status;
    throw new ApiError(res.status, message, data && data.field);
  }
  return data;
}

/** Query string from the non-empty entries of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
