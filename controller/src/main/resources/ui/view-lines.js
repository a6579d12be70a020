// Lines: decided health with since and reason, addresses and where they come from, and for
// operators the overrides (drain, force up, clear) with a reason and a duration; under the table
// each line's detail: the leader's latest probe results and the line's health history strip.

import {api} from './api.js';
import {h, replace, table} from './dom.js';
import {age, since, when} from './format.js';

/** Health in words and a symbol, never by colour alone. */
export function health(line) {
  const forced = (line.reason || '').startsWith('forced ');
  if (forced) return {label: '⚑ overridden (' + line.health + ')', tone: 'forced'};
  switch (line.health) {
    case 'up': return {label: '▲ up', tone: 'up'};
    case 'down': return {label: '▼ down', tone: 'down'};
    default: return {label: '? ' + (line.health || 'unknown'), tone: 'unknown'};
  }
}

export function mount(main, ctx) {
  const body = h('section', {'aria-labelledby': 'lines-title'});
  const details = h('div');
  main.append(h('h2', {id: 'lines-title', text: 'Lines'}), body,
    h('h2', {id: 'line-details-title', text: 'Line details'}), details);
  const shown = new Map();
  // Rows are kept and their cells updated in place, so that a control keeps its focus while the
  // line's probes change what the row says.
  let rows = new Map();
  let shape = '';
  const update = (c) => {
    const s = c.status;
    if (!s) return;
    const names = JSON.stringify([s.lines.map((l) => l.name), c.canOperate]);
    if (names !== shape) {
      shape = names;
      rows = new Map();
      const built = s.lines.map((l) => {
        const cells = {
          name: h('span', {test: 'line-name', text: l.name}),
          health: h('span', {test: 'line-health'}),
          since: h('span'),
          reason: h('span', {test: 'line-reason'}),
          addresses: h('span'),
          source: h('span', {test: 'line-source'}),
        };
        rows.set(l.name, cells);
        const row = [cells.name, cells.health, cells.since, cells.reason, cells.addresses,
          cells.source];
        if (c.canOperate) row.push(controls(c, l));
        return row;
      });
      replace(body, table('Lines and their decided health',
        ['Line', 'Health', 'Since', 'Reason', 'Addresses', 'Source']
          .concat(c.canOperate ? ['Override'] : []),
        built, {test: 'lines'}));
      shown.clear();
      replace(details, s.lines.map((l) => {
        const section = h('section', {'aria-label': 'Line ' + l.name, test: 'line-detail'});
        shown.set(l.name, {section, key: ''});
        return section;
      }));
    }
    for (const l of s.lines) {
      const cells = rows.get(l.name);
      const hl = health(l);
      set(cells.health, hl.label);
      cells.health.className = 'state ' + hl.tone;
      set(cells.since, when(l.since));
      set(cells.reason, l.reason);
      set(cells.addresses, l.addresses.length ? l.addresses.join(', ') : 'none');
      set(cells.source, source(l.source));
      const d = shown.get(l.name);
      const key = JSON.stringify([l.probes, l.history, s.leading, s.leader]);
      if (d.key !== key) {
        d.key = key;
        replace(d.section, detail(c, s, l));
      }
    }
  };
  update(ctx);
  return {update};
}

/** "agent ci, reported 12 s ago by node-2", "static (configuration)". */
export function source(src) {
  if (!src) return '';
  if (src.kind === 'static') return 'static (configuration)';
  const who = src.kind + (src.reporter ? ' ' + src.reporter : '');
  if (!src.reportedAt) return who + ', no report yet';
  return who + ', reported ' + age(since(src.reportedAt)) + ' ago'
    + (src.receivedBy ? ' via ' + src.receivedBy : '');
}

const RESULTS = {ok: '✓ ok', failed: '✗ failed', inconclusive: '? inconclusive'};
const TONES = {ok: 'up', failed: 'down', inconclusive: 'unknown'};

/** A line's detail: its probe results (kept by the leader only) and its health history strip. */
function detail(c, s, l) {
  let probes;
  if (l.probes === null) {
    const leader = s.members.find((m) => m.node === s.leader);
    probes = h('p', {class: 'muted', test: 'probes-elsewhere'},
      'Probe results are kept by the leader' + (s.leader ? ' (' + s.leader + ')' : '')
        + ', which probes; this node does not. ',
      leader ? h('button', {type: 'button', class: 'link', key: 'open-leader-' + l.name,
        test: 'open-leader', onclick: () => c.openOn(leader.node)},
      'Open the leader\'s dashboard') : null);
  } else {
    probes = table('Latest probe results of ' + l.name + ' (leader ' + s.node + ')',
      ['Probe', 'Target', 'Result', 'Latency', 'When', 'Detail'],
      l.probes.map((p) => [p.kind, p.target,
        h('span', {class: 'state ' + (TONES[p.result] || 'unknown'), text: RESULTS[p.result]
          || p.result}),
        p.latencyMs.toFixed(1) + ' ms', when(p.at), p.detail]),
      {test: 'probes'});
  }
  return [h('h3', {text: 'Line ' + l.name}),
    h('dl', {class: 'pairs'},
      h('dt', {text: 'Addresses from'}), h('dd', {text: source(l.source)}),
      l.source && l.source.kind !== 'static' ? [h('dt', {text: 'Last address change'}),
        h('dd', {text: l.source.reportedAt ? when(l.source.reportedAt) : 'none reported yet'})]
        : null),
    probes, strip(l)];
}

/** The line's latest health changes as a strip, oldest first: symbol and word, not colour only. */
function strip(l) {
  const items = l.history.map((x, i) => {
    const next = l.history[i + 1];
    const lasted = next
      ? age((Date.parse(next.since) - Date.parse(x.since)) / 1000) : 'ongoing';
    const hl = health({health: x.health, reason: x.reason});
    return h('li', {class: 'state ' + hl.tone, test: 'history-item',
      title: when(x.since) + ' · epoch ' + x.epoch + (x.reason ? ' · ' + x.reason : '')},
    hl.label, h('span', {class: 'muted small', text: ' ' + shortTime(x.since) + ' (' + lasted
      + ')'}));
  });
  return h('div', {}, h('h4', {text: 'Health history (latest ' + l.history.length + ' changes'
    + ' this node saw, oldest first)'}),
  items.length ? h('ol', {class: 'strip', test: 'history'}, items)
    : h('p', {class: 'muted', text: 'no change seen yet'}));
}

function shortTime(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(11, 19) + 'Z';
}

function set(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function controls(c, line) {
  const path = '/api/v1/lines/' + encodeURIComponent(line.name) + '/override';
  const override = (state, verb) => () => c.act({
    title: verb + ' line ' + line.name,
    description: state === 'down'
      ? 'Records move away from this line within one reconcile, until the override ends.'
      : 'The line counts as up whatever its probes say, until the override ends.',
    fields: [
      {name: 'reason', label: 'Reason (audited)', required: true,
        placeholder: 'e.g. ISP maintenance'},
      {name: 'duration', label: 'Duration', placeholder: 'e.g. 30m, 2h; empty: until cleared'},
    ],
    confirm: verb,
    danger: state === 'down',
    run: async (v) => {
      const body = {state, reason: v.reason};
      if (v.duration) body.duration = v.duration;
      const o = await api('POST', path, body);
      return 'Line ' + o.line + ' forced ' + o.state + (o.until ? ' until ' + o.until : '');
    },
  });
  return h('div', {class: 'buttons'},
    h('button', {type: 'button', key: 'drain-' + line.name, test: 'drain',
      onclick: override('down', 'Drain')}, 'Drain'),
    h('button', {type: 'button', key: 'up-' + line.name, test: 'force-up',
      onclick: override('up', 'Force up')}, 'Force up'),
    h('button', {type: 'button', key: 'clear-' + line.name, test: 'clear',
      onclick: () => c.act({
        title: 'Clear the override of line ' + line.name,
        description: 'The line\'s probes decide its health again.',
        confirm: 'Clear',
        run: async () => {
          const r = await api('DELETE', path);
          return r.cleared ? 'Override of ' + line.name + ' cleared' : 'No override to clear';
        },
      })}, 'Clear'));
}
