// Audit: the cluster's audit trail, newest first, filtered by kind, line, zone and time, paged.

import {api, ApiError, query} from './api.js';
import {h, replace, table} from './dom.js';
import {when} from './format.js';

const REFRESH_MS = 2000;

export function mount(main, ctx) {
  const fields = {
    kind: h('input', {id: 'audit-kind', placeholder: 'e.g. override-set'}),
    line: h('input', {id: 'audit-line'}),
    zone: h('input', {id: 'audit-zone'}),
    since: h('input', {id: 'audit-since', placeholder: '2026-01-02T03:04:05Z'}),
  };
  const form = h('form', {class: 'toolbar', test: 'audit-filter'},
    Object.entries(fields).map(([k, el]) => h('div', {class: 'field'},
      h('label', {for: el.id, text: k[0].toUpperCase() + k.slice(1)}), el)),
    h('button', {type: 'submit'}, 'Apply'));
  const error = h('p', {class: 'error', role: 'alert'});
  const rows = h('div');
  const more = h('div', {class: 'pager'});
  main.append(h('h2', {text: 'Audit'}), form, error, rows, more);

  let cursors = [];
  let loadedAt = 0;
  let last = '';
  let busy = false;

  const load = async () => {
    if (busy) return;
    busy = true;
    const params = {limit: 100, cursor: cursors[cursors.length - 1]};
    for (const [k, el] of Object.entries(fields)) params[k] = el.value.trim();
    try {
      const page = await api('GET', '/api/v1/audit' + query(params));
      error.textContent = '';
      const key = JSON.stringify(page);
      loadedAt = Date.now();
      if (key === last) return;
      last = key;
      replace(rows, table('Audit events, newest first', ['At', 'Node', 'Kind', 'Detail'],
        page.events.map((e) => [when(e.at), e.node, e.type,
          h('span', {test: 'audit-detail', text: e.detail})]),
        {test: 'audit'}));
      replace(more,
        cursors.length ? h('button', {type: 'button', onclick: () => {
          cursors.pop(); last = ''; load();
        }}, '‹ Newer') : null,
        page.next ? h('button', {type: 'button', onclick: () => {
          cursors.push(page.next); last = ''; load();
        }}, 'Older ›') : null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) ctx.refresh();
      else error.textContent = 'Audit: ' + e.message + (e.field ? ' (field: ' + e.field + ')' : '');
    } finally {
      busy = false;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    cursors = [];
    last = '';
    load();
  });
  load();
  return {
    update: () => {
      if (cursors.length === 0 && Date.now() - loadedAt >= REFRESH_MS) load();
    },
  };
}
