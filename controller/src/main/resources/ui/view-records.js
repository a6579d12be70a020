// Records per zone: the applied answer, its epoch and age, what each authoritative server answered
// the leader's verify step, the zone's dry-run plan and foreign records; pause and resume of a
// zone's writes for operators. Big zones are paged.

import {api} from './api.js';
import {h, replace, table} from './dom.js';
import {age, since, when} from './format.js';

export const PAGE = 100;

export function mount(main, ctx) {
  let zone = '';
  let filter = '';
  let page = 0;
  let last = '';
  let ages = [];
  let c = ctx;

  const select = h('select', {id: 'records-zone', test: 'zone'});
  const search = h('input', {id: 'records-filter', type: 'search', test: 'filter',
    placeholder: 'name or address'});
  const operate = h('div', {class: 'buttons'});
  const info = h('div');
  const rows = h('div');
  const pager = h('div', {class: 'pager'});
  main.append(
    h('h2', {id: 'records-title', text: 'Records'}),
    h('div', {class: 'toolbar'},
      h('div', {class: 'field'}, h('label', {for: 'records-zone', text: 'Zone'}), select),
      h('div', {class: 'field'}, h('label', {for: 'records-filter', text: 'Filter'}), search),
      operate),
    info, rows, pager);
  select.addEventListener('change', () => {
    zone = select.value;
    page = 0;
    render(true);
  });
  // Keys typed faster than the page paints are filtered once, just before the next frame: a big
  // zone is not filtered and laid out again for every key.
  let typing = 0;
  const filtered = () => {
    if (typing) return;
    typing = requestAnimationFrame(() => {
      typing = 0;
      const next = search.value.trim().toLowerCase();
      if (next === filter) return;
      filter = next;
      page = 0;
      render(true);
    });
  };
  search.addEventListener('input', filtered);
  search.addEventListener('change', filtered);

  // Zones with records first, so that the first one shown has something to show.
  const zones = (s) => {
    const withRecords = [...new Set(s.records.map((r) => r.zone))].sort();
    const others = (s.zones || []).map((z) => z.name).filter((n) => !withRecords.includes(n));
    return withRecords.concat([...new Set(others)].sort());
  };

  const render = (force) => {
    const s = c.status;
    if (!s) return;
    const names = zones(s);
    if (!zone || !names.includes(zone)) zone = names[0] || '';
    if (select.options.length !== names.length
        || [...select.options].some((o, i) => o.value !== names[i])) {
      replace(select, names.map((n) => h('option', {value: n, text: n})));
    }
    select.value = zone;
    const all = s.records.filter((r) => r.zone === zone);
    const shown = filter
      ? all.filter((r) => r.name.toLowerCase().includes(filter)
        || r.addresses.some((a) => a.includes(filter)))
      : all;
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    if (page >= pages) page = pages - 1;
    const slice = shown.slice(page * PAGE, page * PAGE + PAGE);
    const z = (s.zones || []).find((x) => x.name === zone);
    const key = JSON.stringify([zone, filter, page, c.canOperate, z,
      slice.map((r) => [r.name, r.type, r.ttl, r.addresses, r.epoch, r.appliedAt, r.verify]),
      shown.length, s.leader]);
    if (!force && key === last) {
      ages.forEach(([cell, at]) => { cell.textContent = age(since(at)); });
      return;
    }
    last = key;
    replace(operate, c.canOperate && zone ? [
      h('button', {type: 'button', key: 'pause', test: 'pause', onclick: () => pause(zone)},
        'Pause writes'),
      h('button', {type: 'button', key: 'resume', test: 'resume', onclick: () => resume(zone)},
        'Resume writes')] : []);
    replace(info, z ? [
      z.dryRun ? h('p', {class: 'state forced', text: '⚑ dry run: nothing is written'}) : null,
      z.planned.length ? table('Planned changes (dry run)', ['Change'], z.planned.map((p) => [p]))
        : null,
      z.foreign.length ? table('Foreign records left alone', ['Record'],
        z.foreign.map((f) => [f])) : null,
    ] : []);
    ages = [];
    replace(rows, table(
      'Applied records in ' + (zone || 'no zone') + ' (' + shown.length + ')',
      ['Name', 'Type', 'TTL', 'Answer', 'Epoch', 'Applied', 'Age', 'Authoritative servers'],
      slice.map((r) => {
        const cell = h('td', {text: age(since(r.appliedAt))});
        ages.push([cell, r.appliedAt]);
        return [r.name, r.type, String(r.ttl),
          h('span', {test: 'answer', text: r.addresses.join(', ') || '(empty)'}),
          String(r.epoch), when(r.appliedAt), cell, servers(r, s)];
      }),
      {test: 'records'}));
    replace(pager, pages > 1 ? [
      h('button', {type: 'button', key: 'prev', disabled: page === 0,
        onclick: () => { page--; render(true); }}, '‹ Previous'),
      h('span', {test: 'page', text: 'Page ' + (page + 1) + ' of ' + pages}),
      h('button', {type: 'button', key: 'next', test: 'next', disabled: page + 1 >= pages,
        onclick: () => { page++; render(true); }}, 'Next ›'),
    ] : []);
  };

  /** What each authoritative server answered the leader's verify step (the leader keeps it). */
  const servers = (r, s) => {
    if (r.verify === null) {
      return h('span', {class: 'muted', test: 'verify-elsewhere',
        text: 'kept by the leader' + (s.leader ? ' (' + s.leader + ')' : '')});
    }
    if (!r.verify.length) {
      return h('span', {class: 'muted', test: 'verify-none',
        text: 'not verified (embedded zones and dry runs are not; or not yet)'});
    }
    return h('ul', {class: 'plain', test: 'verify'}, r.verify.map((v) => h('li', {},
      h('span', {class: 'state ' + (v.matches ? 'up' : 'down'), text: v.matches ? '✓ ' : '✗ '}),
      v.server + ' → ' + (v.error ? 'no answer (' + v.error + ')'
        : v.answer.length ? v.answer.join(', ') : 'no such name') + ', ' + when(v.at))));
  };

  const pause = (name) => c.act({
    title: 'Pause writes to ' + name,
    description: 'The leader writes nothing to this zone (drift repair included) until resumed.',
    fields: [{name: 'reason', label: 'Reason (audited)', required: true}],
    confirm: 'Pause',
    danger: true,
    run: async (v) => {
      await api('POST', '/api/v1/zones/' + encodeURIComponent(name) + '/pause', {reason: v.reason});
      return 'Writes to ' + name + ' paused';
    },
  });
  const resume = (name) => c.act({
    title: 'Resume writes to ' + name,
    confirm: 'Resume',
    run: async () => {
      const r = await api('DELETE', '/api/v1/zones/' + encodeURIComponent(name) + '/pause');
      return r.resumed ? 'Writes to ' + name + ' resumed' : name + ' was not paused';
    },
  });

  const update = (next) => {
    c = next;
    render(false);
  };
  update(ctx);
  return {update};
}
