// Drills: past and running failover drills with their timeline and RTO, and for operators a new
// drill, its preflight shown before it starts. A node without the drills API says so.

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
  let busy = false;
  let available = true;
  let selected = '';

  const list = (data) => Array.isArray(data) ? data : (data && (data.drills || data.items)) || [];

  const load = async () => {
    if (busy) return;
    busy = true;
    try {
      const data = await api('GET', '/api/v1/drills');
      available = true;
      const drills = list(data);
      const key = JSON.stringify([drills, c.canOperate]);
      if (key !== last) {
        last = key;
        replace(actions, c.canOperate ? h('button', {type: 'button', class: 'primary',
          test: 'run-drill', onclick: start}, 'Run a drill…') : null);
        replace(body, table('Drills, newest first', ['Drill', 'Kind', 'State', 'Started',
          'Result', 'RTO'], drills.map((d) => [
          h('button', {type: 'button', class: 'link', key: 'drill-' + d.id,
            onclick: () => { selected = String(d.id); showDrill(); }}, String(d.id)),
          String(d.kind || ''), String(d.state || d.status || ''),
          when(d.startedAt || d.started), verdict(d), rto(d)]), {test: 'drills'}));
      }
      if (selected) showDrill();
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

  const showDrill = async () => {
    try {
      const d = await api('GET', '/api/v1/drills/' + encodeURIComponent(selected));
      const timeline = d.timeline || d.events || [];
      replace(detail, h('section', {'aria-label': 'Drill ' + selected},
        h('h3', {text: 'Drill ' + selected + ' · ' + (d.kind || '')}),
        fieldsOf(d),
        table('Timeline', ['At', 'Step', 'Detail'], timeline.map((t) => [
          when(t.at), String(t.step || t.kind || t.type || ''),
          String(t.detail || t.record || '')])),
        c.canOperate && !finished(d) ? h('button', {type: 'button', class: 'danger',
          onclick: () => c.act({title: 'Abort drill ' + selected, confirm: 'Abort', danger: true,
            description: 'The drill stops and everything it changed is rolled back.',
            run: async () => {
              await api('POST', '/api/v1/drills/' + encodeURIComponent(selected) + '/abort');
              return 'Drill ' + selected + ' aborted';
            }})}, 'Abort') : null));
    } catch (e) {
      replace(detail, h('p', {class: 'error', text: 'Drill ' + selected + ': ' + e.message}));
    }
  };

  const start = () => c.act({
    title: 'Run a drill',
    description: 'The preflight (guard rails) is checked and shown before the drill starts.',
    fields: [
      {name: 'kind', label: 'Kind', options: KINDS},
      {name: 'line', label: 'Line (line-failure)'},
      {name: 'zone', label: 'Zone (provider-outage)'},
      {name: 'duration', label: 'Duration', placeholder: 'e.g. 30s'},
      {name: 'rto', label: 'RTO objective', placeholder: 'e.g. 2s'},
    ],
    confirm: 'Check preflight',
    run: async (v) => {
      const body = {kind: v.kind};
      for (const k of ['line', 'zone', 'duration', 'rto']) if (v[k]) body[k] = v[k];
      let preflight;
      try {
        preflight = await api('POST', '/api/v1/drills/preflight', body);
      } catch (e) {
        if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
        preflight = {note: 'this node checks the guard rails when the drill starts'};
      }
      setTimeout(() => confirmStart(body, preflight), 0);
      return '';
    },
  });

  const confirmStart = (body, preflight) => c.act({
    title: 'Start ' + body.kind + ' drill?',
    description: 'Preflight: ' + summary(preflight),
    confirm: 'Start drill',
    danger: true,
    run: async () => {
      const d = await api('POST', '/api/v1/drills', body);
      selected = d && d.id !== undefined ? String(d.id) : '';
      last = '';
      load();
      return 'Drill ' + (selected || '') + ' started';
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

function finished(d) {
  const s = String(d.state || d.status || '').toLowerCase();
  return ['passed', 'failed', 'aborted', 'done', 'finished', 'completed'].includes(s)
    || d.finishedAt !== undefined && d.finishedAt !== null;
}

function verdict(d) {
  if (d.passed === true || d.result === 'pass' || d.result === 'passed') return '✓ pass';
  if (d.passed === false || d.result === 'fail' || d.result === 'failed') return '✗ fail';
  return String(d.result || '');
}

function rto(d) {
  const v = d.rtoMillis ?? d.rtoMs ?? d.rto;
  if (v === undefined || v === null) return '';
  return typeof v === 'number' ? v + ' ms' : String(v);
}

function summary(p) {
  if (!p || typeof p !== 'object') return String(p);
  if (Array.isArray(p.reasons)) return p.reasons.length ? p.reasons.join('; ') : 'all checks pass';
  return Object.entries(p).map(([k, v]) => k + ': ' + (typeof v === 'object'
    ? JSON.stringify(v) : String(v))).join('; ');
}

function fieldsOf(d) {
  const rows = Object.entries(d).filter(([, v]) => v === null || typeof v !== 'object');
  return h('dl', {class: 'pairs'}, rows.map(([k, v]) => [h('dt', {text: k}),
    h('dd', {text: v === null ? '' : String(v)})]));
}
