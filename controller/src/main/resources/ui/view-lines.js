// Lines: decided health with since and reason, addresses, and for operators the overrides
// (drain, force up, clear) with a reason and a duration.

import {api} from './api.js';
import {h, replace, table} from './dom.js';
import {when} from './format.js';

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
  main.append(h('h2', {id: 'lines-title', text: 'Lines'}), body);
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
        };
        rows.set(l.name, cells);
        const row = [cells.name, cells.health, cells.since, cells.reason, cells.addresses];
        if (c.canOperate) row.push(controls(c, l));
        return row;
      });
      replace(body, table('Lines and their decided health',
        ['Line', 'Health', 'Since', 'Reason', 'Addresses'].concat(c.canOperate ? ['Override'] : []),
        built, {test: 'lines'}));
    }
    for (const l of s.lines) {
      const cells = rows.get(l.name);
      const hl = health(l);
      set(cells.health, hl.label);
      cells.health.className = 'state ' + hl.tone;
      set(cells.since, when(l.since));
      set(cells.reason, l.reason);
      set(cells.addresses, l.addresses.length ? l.addresses.join(', ') : 'none');
    }
  };
  update(ctx);
  return {update};
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
