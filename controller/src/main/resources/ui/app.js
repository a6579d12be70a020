// The dashboard's shell: sign-in, polling of this node's status, the banner, the views
// (docs/dashboard.md). Every view reads the state kept here and renders it with dom.js.

import {api, ApiError, token} from './api.js';
import {h, replace} from './dom.js';
import * as cluster from './view-cluster.js';
import * as lines from './view-lines.js';
import * as records from './view-records.js';
import * as drills from './view-drills.js';
import * as audit from './view-audit.js';

const VIEWS = {cluster, lines, records, drills, audit};
const POLL_MS = 700;
const MAX_POLL_MS = 10000;
/** Polls without an answer before the page looks for another member (about 1.5 s). */
const FAILOVER_AFTER = 2;
const PEER_TIMEOUT_MS = 1500;

const state = {
  tokenRequired: true,
  who: null,
  status: null,
  ready: null,
  unreachable: false,
  polledAt: 0,
  leaderChanges: [],
  signedOut: false,
};

let current = null;
let currentName = '';
let timer = 0;
let pollMs = POLL_MS;
let failures = 0;

const $ = (id) => document.getElementById(id);

/** What the views get: the state and the page's helpers. */
function context() {
  const role = state.who ? state.who.role : '';
  return {
    status: state.status,
    ready: state.ready,
    who: state.who,
    canOperate: role === 'operator' || role === 'admin',
    leaderChanges: state.leaderChanges,
    act,
    toast,
    refresh: () => poll(),
    openOn,
  };
}

/** The view name in the address's fragment ({@code #lines}, {@code #lines;from=…}). */
function viewOf(hash) {
  return hash.slice(1).split(';')[0];
}

/**
 * The token another node's page handed over when it moved here (moveTo): read from the fragment,
 * which no request carries, and removed from the address and the tab's history at once.
 */
function takeHandOver() {
  const parts = location.hash.slice(1).split(';');
  const fields = Object.fromEntries(parts.slice(1).map((p) => {
    const i = p.indexOf('=');
    return i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i + 1)];
  }));
  if (parts.length === 1) return null;
  history.replaceState(null, '', location.pathname + (parts[0] ? '#' + parts[0] : ''));
  try {
    if (fields.handover) token.set(decodeURIComponent(fields.handover));
    return fields.from ? decodeURIComponent(fields.from) : null;
  } catch (e) {
    return null;
  }
}

/**
 * Opens the dashboard of member {@code m} ({node, http}) in this tab, on the same view, handing
 * the token over in the fragment (docs/dashboard.md, "Following the cluster"); {@code failedOver}:
 * because this node stopped answering (the new page says so).
 */
function moveTo(m, failedOver) {
  const t = token.get();
  const from = failedOver && state.status ? state.status.node : '';
  location.replace(location.protocol + '//' + m.http + '/ui/#' + (currentName || 'cluster')
    + (from ? ';from=' + encodeURIComponent(from) : '')
    + (t ? ';handover=' + encodeURIComponent(t) : ''));
}

/** Opens the dashboard of the member named {@code node}, if this page knows its address. */
function openOn(node) {
  const m = state.status && state.status.members.find((x) => x.node === node);
  if (m) moveTo(m, false);
}

/**
 * This node stopped answering: moves to the first other member (the leader first) that answers,
 * as this node last listed them. An opaque answer is enough to know it is alive.
 */
async function moveAway() {
  const s = state.status;
  if (!s) return false;
  const others = s.members
    .filter((m) => m.node !== s.node && !/^(0\.0\.0\.0|\[::\]):/.test(m.http))
    .sort((a, b) => (b.node === s.leader) - (a.node === s.leader));
  for (const m of others) {
    try {
      await fetch(location.protocol + '//' + m.http + '/readyz', {mode: 'no-cors',
        cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(PEER_TIMEOUT_MS)});
    } catch (e) {
      continue;
    }
    moveTo(m, true);
    return true;
  }
  return false;
}

function toast(message) {
  const t = $('toast');
  t.textContent = message;
  t.classList.add('shown');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('shown'), 6000);
}

/**
 * Opens the action dialog: fields [{name, label, type, placeholder, required, options, value}],
 * details (an element shown under the description), run(values) does the call; an API refusal
 * stays in the dialog with its message.
 */
function act({title, description, details, fields = [], confirm, danger, run}) {
  const dialog = $('action');
  const error = h('p', {class: 'error', role: 'alert'});
  const inputs = {};
  const rows = fields.map((f) => {
    const id = 'action-' + f.name;
    const input = f.options
      ? h('select', {id, name: f.name}, f.options.map((o) => h('option', {value: o, text: o})))
      : h('input', {id, name: f.name, type: f.type || 'text', placeholder: f.placeholder,
        required: f.required, autocomplete: 'off', value: f.value});
    inputs[f.name] = input;
    return h('div', {class: 'field'}, h('label', {for: id, text: f.label}), input,
      f.help ? h('p', {class: 'muted small', text: f.help}) : null);
  });
  const cancel = h('button', {type: 'button', onclick: () => dialog.close()}, 'Cancel');
  const submit = h('button', {type: 'submit', class: danger ? 'danger' : 'primary',
    test: 'confirm'}, confirm);
  const form = h('form', {method: 'dialog'},
    h('h2', {id: 'action-title', text: title}),
    description ? h('p', {class: 'muted', text: description}) : null,
    details || null, rows, error, h('div', {class: 'actions'}, cancel, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = {};
    for (const [k, el] of Object.entries(inputs)) values[k] = el.value.trim();
    submit.disabled = true;
    error.textContent = '';
    try {
      const message = await run(values);
      dialog.close();
      if (message) toast(message);
      poll();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        dialog.close();
        signIn('Your sign-in is no longer accepted (' + err.message + '): sign in again.');
      } else {
        error.textContent = err.message + (err.field ? ' (field: ' + err.field + ')' : '');
      }
    } finally {
      submit.disabled = false;
    }
  });
  replace(dialog, form);
  dialog.showModal();
  const first = fields.length ? inputs[fields[0].name] : submit;
  first.focus();
}

function banner() {
  const messages = [];
  const s = state.status;
  if (state.unreachable) {
    messages.push('This node is not answering: showing what it last said, retrying.');
  }
  if (s && !s.zookeeperConnected) {
    messages.push('ZooKeeper lost: this node (' + s.node + ') has no connection to ZooKeeper.'
      + ' What it shows may be stale and it cannot carry out changes.');
  } else if (state.ready === false) {
    messages.push('This node is not ready (still loading the cluster state).');
  }
  if (s && !s.leader) messages.push('No leader is known right now: an election is under way.');
  const b = $('banner');
  replace(b, messages.map((m) => h('p', {text: '⚠ ' + m})));
  b.hidden = messages.length === 0;
}

function header() {
  const s = state.status;
  $('cluster-name').textContent = s ? s.cluster : '';
  $('node-line').textContent = s
    ? 'Node ' + s.node + (s.leading ? ' (leader)' : ' (follower)') + ' · leader '
      + (s.leader || 'unknown') + ' · epoch ' + s.epoch
    : '';
  const who = $('who');
  if (!state.who) {
    replace(who);
    return;
  }
  replace(who,
    h('span', {test: 'who'}, 'Signed in as ', h('strong', {text: state.who.name}),
      ' (' + state.who.role + ')'),
    state.tokenRequired || token.get()
      ? h('button', {type: 'button', class: 'link', onclick: signOut}, 'Sign out') : null);
}

function noteLeader(s) {
  const last = state.leaderChanges[state.leaderChanges.length - 1];
  if (!last || last.leader !== s.leader || last.epoch !== s.epoch) {
    if (last || s.leader) {
      state.leaderChanges.push({at: new Date().toISOString(), leader: s.leader, epoch: s.epoch});
      if (state.leaderChanges.length > 50) state.leaderChanges.shift();
    }
  }
}

async function readiness() {
  try {
    const res = await fetch('/readyz', {cache: 'no-store', credentials: 'omit'});
    return res.ok;
  } catch (e) {
    return null;
  }
}

async function poll() {
  clearTimeout(timer);
  if ($('signin').open) return;
  const started = performance.now();
  try {
    const [status, ready] = await Promise.all([api('GET', '/api/v1/status'), readiness()]);
    state.status = status;
    state.ready = ready;
    state.unreachable = false;
    failures = 0;
    state.polledAt = Date.now();
    noteLeader(status);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signIn('Your sign-in is no longer accepted (' + e.message + '): sign in again.');
      return;
    }
    state.unreachable = e instanceof ApiError && e.status === 0;
    if (!state.unreachable) toast('Status: ' + e.message);
    else if (++failures >= FAILOVER_AFTER && await moveAway()) return;
  }
  header();
  banner();
  if (current) current.update(context());
  // A big cluster (10,000 records) polls less often rather than keeping the tab busy.
  const spent = performance.now() - started;
  pollMs = Math.min(MAX_POLL_MS, Math.max(POLL_MS, spent * 4));
  timer = setTimeout(poll, pollMs);
}

function show(name) {
  if (!VIEWS[name]) name = 'cluster';
  for (const a of document.querySelectorAll('nav.tabs a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  currentName = name;
  // Nothing is asked of the API before the caller is known (signed in, or open to anonymous).
  if (!state.who) return;
  if (current && current.unmount) current.unmount();
  const main = $('main');
  replace(main);
  current = VIEWS[name].mount(main, context());
  document.title = 'haddns · ' + name;
}

function signIn(why) {
  clearTimeout(timer);
  const d = $('signin');
  if (!current) replace($('main'), h('p', {class: 'muted', text: 'Sign in to see the cluster.'}));
  $('signin-why').textContent = why || 'This cluster requires an operator token.';
  $('signin-error').textContent = '';
  $('signin-token').value = '';
  if (!d.open) d.showModal();
  $('signin-token').focus();
}

function signOut() {
  token.clear();
  state.who = null;
  header();
  if (state.tokenRequired) signIn('Signed out.');
  else whoami();
}

async function whoami() {
  try {
    state.who = await api('GET', '/api/v1/whoami');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      token.clear();
      signIn('That token was refused (' + e.message + ').');
      return false;
    }
    state.who = {name: 'unknown', role: 'viewer'};
  }
  header();
  show(currentName);
  poll();
  return true;
}

async function boot() {
  $('signin').addEventListener('cancel', (e) => e.preventDefault());
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = $('signin-token').value.trim();
    if (!value) return;
    token.set(value);
    try {
      state.who = await api('GET', '/api/v1/whoami');
    } catch (err) {
      token.clear();
      $('signin-error').textContent = 'Refused: ' + err.message;
      return;
    }
    $('signin').close();
    header();
    show(currentName || viewOf(location.hash));
    poll();
  });
  window.addEventListener('hashchange', () => show(viewOf(location.hash)));
  try {
    const res = await fetch('/ui/session.json', {cache: 'no-store', credentials: 'omit'});
    state.tokenRequired = (await res.json()).tokenRequired !== false;
  } catch (e) {
    state.tokenRequired = true;
  }
  show(viewOf(location.hash));
  if (movedFrom) toast('Node ' + movedFrom + ' stopped answering: this is another node\'s page.');
  if (state.tokenRequired && !token.get()) signIn();
  else whoami();
}

// Before anything else: the fragment may hold a handed-over token.
const movedFrom = takeHandOver();
boot();
