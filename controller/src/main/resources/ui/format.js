// Times and ages for display; the API speaks RFC 3339 UTC.

/** "12 s", "3 min", "2 h", "4 d". */
export function age(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 90 * 60) return Math.round(seconds / 60) + ' min';
  if (seconds < 36 * 3600) return Math.round(seconds / 3600) + ' h';
  return Math.round(seconds / 86400) + ' d';
}

/** Seconds from an RFC 3339 time to now; NaN when there is none. */
export function since(iso) {
  const t = Date.parse(iso || '');
  return Number.isNaN(t) ? NaN : (Date.now() - t) / 1000;
}

/** "2026-12-06 15:24:57Z (12 s ago)". */
export function when(iso) {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const text = new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return text + ' (' + age((Date.now() - t) / 1000) + ' ago)';
}
