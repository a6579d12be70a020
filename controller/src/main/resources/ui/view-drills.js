// Drills: past and running failover drills with their phase, timeline, per-record RTO and
// verdict, and for operators a new drill, its preflight (the guard rails as the API checks them)
// shown before it starts, and abort.
// A node without the drills API says so. Shapes: docs/operations.md, "Failover drills".

import {api, ApiError} from './api.js';
import {h, replace, table} from './dom.js';
import {when} from './format.js';

const REFRESH_MS = 1000;
const KINDS = ['line-failure', 'leader-failover', 'provider-outage', 'leader-crash'];

export function mount(main, ctx) {
  let c = ctx;
  const actions = h('div', {class: 'buttons'});
  const body = h('div');
  const detail = h('div');
  main.append(h('h2', {text: 'Drills'}), actions, body, detail);
  let loadedAt = 0;
  let last = '';
  let lastDetail = '';
  let busy = false;
  let available = true;
  let selected = '';
  let drills = [];

  const load = async () => {
    if (busy) return;
    busy = true;
    try {
      const data = await api('GET', '/api/v1/drills');
      available = true;
      drills = Array.isArray(data) ? data : (data && data.drills) || [];
      const key = JSON.stringify([drills, c.canOperate]);
      if (key !== last) {
        last = key;
        replace(actions, c.canOperate ? h('button', {type: 'button', class: 'primary',
          key: 'run-drill', test: 'run-drill', onclick: start}, 'Run a drill…') : null);
        replace(body, table('Drills, newest first', ['Drill', 'Kind', 'Target', 'Phase',
          'Started', 'Verdict', 'RTO'], drills.map((d) => [
          h('button', {type: 'button', class: 'link', key: 'drill-' + d.id, test: 'drill-id',
            onclick: () => { selected = String(d.id); lastDetail = ''; showDrill(d); }},
          String(d.id)),
          String(d.kind || ''), target(d), String(d.phase || ''),
          when(d.timeline && d.timeline.started), verdict(d), ms(d.rtoMillis)]),
        {test: 'drills'}));
      }
      const open = drills.find((d) => String(d.id) === selected);
      if (open) showDrill(open);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        available = false;
        replace(actions);
        replace(body, h('p', {class: 'muted', test: 'drills-unavailable',
          text: 'Drills are not available on this node.'}));
      } else if (e instanceof ApiError && e.status === 401) {
        c.refresh();
      } else {
        replace(body, h('p', {class: 'error', text: 'Drills: ' + e.message}));
      }
    } finally {
      loadedAt = Date.now();
      busy = false;
    }
  };

  const showDrill = (d) => {
    const key = JSON.stringify([d, c.canOperate]);
    if (key === lastDetail) return;
    lastDetail = key;
    const steps = Object.entries(d.timeline || {});
    replace(detail, h('section', {'aria-label': 'Drill ' + d.id, test: 'drill-report'},
      h('h3', {text: 'Drill ' + d.id + ' · ' + (d.kind || '') + ' · ' + (d.phase || '')}),
      h('dl', {class: 'pairs'},
        pair('Target', target(d)), pair('Requested by', d.by), pair('Forced', d.forced ? 'yes' : 'no'),
        pair('RTO objective', ms(d.rtoObjectiveMillis)), pair('RTO', ms(d.rtoMillis)),
        pair('Verdict', verdict(d)), d.abortedBy ? pair('Aborted by', d.abortedBy) : null),
      table('Timeline', ['Step', 'At', 'After injected'], steps.map(([step, at]) => [step,
        when(at), after(d.timeline && d.timeline.injected, at)]), {test: 'drill-timeline'}),
      table('Records', ['Record', 'Zone', 'Before', 'Visible at every server', 'RTO', 'Back'],
        (d.records || []).map((r) => [r.record, r.zone, addresses(r.before),
          when(r.visible), ms(r.rtoMillis), when(r.back)])),
      (d.notes || []).length ? table('Notes', ['Note'], d.notes.map((n) => [String(n)])) : null,
      c.canOperate && d.phase !== 'ended' ? h('button', {type: 'button', class: 'danger',
        key: 'abort', onclick: () => c.act({title: 'Abort drill ' + d.id, confirm: 'Abort',
          danger: true,
          description: 'The drill stops; whatever it changed is rolled back.',
          run: async () => {
            await api('POST', '/api/v1/drills/' + encodeURIComponent(d.id) + '/abort');
            return 'Drill ' + d.id + ' aborted';
          }})}, 'Abort') : null));
  };

  const start = () => c.act({
    title: 'Run a drill',
    description: 'Its preflight (every guard rail, with its reason) is shown next, before '
      + 'anything starts.',
    fields: [
      {name: 'kind', label: 'Kind', options: KINDS},
      {name: 'line', label: 'Line (line-failure)'},
      {name: 'zone', label: 'Zone (provider-outage)'},
      {name: 'duration', label: 'Duration', placeholder: 'e.g. 30s'},
      {name: 'rto', label: 'RTO objective', placeholder: 'e.g. 2s; empty: the configured one'},
    ],
    confirm: 'Preflight…',
    run: async (v) => {
      const request = {kind: v.kind};
      for (const k of ['line', 'zone', 'duration', 'rto']) if (v[k]) request[k] = v[k];
      // Bad fields and unknown names are refused here, in this dialog.
      const checked = await api('POST', '/api/v1/drills/preflight', request);
      setTimeout(() => confirmStart(request, checked), 0);
      return '';
    },
  });

  const confirmStart = (request, checked) => c.act({
    title: 'Preflight: ' + request.kind + ' drill',
    description: checked.ok
      ? 'No guard rail stands in the way now. The leader checks them again when it starts the drill.'
      : 'Refused now by ' + checked.reasons.length + ' guard rail(s); starting it anyway is '
        + 'refused with the same reasons.',
    details: h('ul', {class: 'preflight', test: 'preflight'},
      checked.ok ? h('li', {text: '✓ every guard rail passes'})
        : checked.reasons.map((g) => h('li', {text: '✗ ' + g.why + ' (' + g.rule
          + (g.soft ? ', soft: an admin may force it (API, ctl)' : '') + ')'}))),
    confirm: 'Start drill',
    danger: true,
    run: async () => {
      // A refusal (409 with every guard rail's reason) stays in this dialog.
      const d = await api('POST', '/api/v1/drills', request);
      selected = d && d.id !== undefined ? String(d.id) : '';
      last = '';
      lastDetail = '';
      load();
      return 'Drill ' + selected + ' started';
    },
  });

  load();
  return {
    update: (next) => {
      c = next;
      if (available && Date.now() - loadedAt >= REFRESH_MS) load();
    },
  };
}

function target(d) {
  return String(d.line || d.zone || '');
}

function verdict(d) {
  switch (d.verdict) {
    case 'passed': return '✓ passed';
    case 'failed': return '✗ failed';
    case 'aborted': return '■ aborted';
    default: return d.verdict ? String(d.verdict) : '';
  }
}

/** Milliseconds from one RFC 3339 time to another, e.g. "+85 ms". */
function after(from, at) {
  const a = Date.parse(from || '');
  const b = Date.parse(at || '');
  if (Number.isNaN(a) || Number.isNaN(b)) return '';
  return (b >= a ? '+' : '−') + Math.abs(b - a) + ' ms';
}

function addresses(v) {
  return Array.isArray(v) ? v.join(', ') : String(v ?? '');
}

function ms(v) {
  return v === undefined || v === null ? '' : v + ' ms';
}

function pair(k, v) {
  return [h('dt', {text: k}), h('dd', {text: v === undefined || v === null ? '' : String(v)})];
}
