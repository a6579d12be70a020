// Cluster: members, the leader and its epoch, this node's ZooKeeper connection and readiness,
// the leader changes this page has seen.

import {api, ApiError} from './api.js';
import {h, replace, table} from './dom.js';
import {when} from './format.js';

const TIMELINE_MS = 5000;

export function mount(main, ctx) {
  const body = h('section', {'aria-labelledby': 'cluster-title'});
  const timeline = h('section', {'aria-label': 'Leadership timeline'});
  main.append(h('h2', {id: 'cluster-title', text: 'Cluster'}), body, timeline);
  let last = '';
  let timelineAt = 0;
  // The hand-overs as the leaders recorded them in the audit trail: who took or lost which term.
  const leadership = async () => {
    timelineAt = Date.now();
    try {
      const page = await api('GET', '/api/v1/audit?kind=leadership&limit=20');
      replace(timeline, table('Leadership timeline (audit trail, newest first)',
        ['At', 'Node', 'Event'],
        page.events.map((e) => [when(e.at), e.node, e.detail]), {test: 'leadership'}));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) ctx.refresh();
      else replace(timeline, h('p', {class: 'muted', text: 'Leadership timeline: ' + e.message}));
    }
  };
  const update = (c) => {
    if (Date.now() - timelineAt >= TIMELINE_MS) leadership();
    const s = c.status;
    const key = JSON.stringify([s && [s.cluster, s.node, s.leader, s.epoch, s.leading,
      s.zookeeperConnected, s.members], c.ready, c.leaderChanges.length]);
    if (key === last) return;
    last = key;
    if (!s) {
      replace(body, h('p', {class: 'muted', text: 'Waiting for this node\'s status…'}));
      return;
    }
    const zk = s.zookeeperConnected;
    replace(body,
      h('dl', {class: 'cards'},
        card('Leader', s.leader || 'unknown', s.leader ? 'ok' : 'bad', 'leader'),
        card('Epoch', String(s.epoch), '', 'epoch'),
        card('This node', s.node + (s.leading ? ' (leader)' : ' (follower)'), '', 'node'),
        card('ZooKeeper', zk ? '✓ connected' : '✗ lost', zk ? 'ok' : 'bad', 'zookeeper'),
        card('Ready', c.ready === null ? '? unknown' : c.ready ? '✓ ready' : '✗ not ready',
          c.ready ? 'ok' : 'bad', 'ready'),
        card('Members', String(s.members.length), '', 'member-count')),
      table('Members (live nodes registered in ZooKeeper)',
        ['Node', 'Role', 'Admin address', 'Version', 'Started'],
        s.members.map((m) => [
          h('span', {}, m.node, m.node === s.node ? h('span', {class: 'tag', text: 'this node'})
            : null),
          m.node === s.leader ? h('span', {class: 'state up', text: '★ leader'}) : 'follower',
          m.http, m.version, when(m.startedAt)]),
        {test: 'members'}),
      table('Leader changes seen by this page',
        ['Seen at', 'Leader', 'Epoch'],
        c.leaderChanges.slice().reverse().map((l) => [when(l.at), l.leader || 'none',
          String(l.epoch)])));
  };
  update(ctx);
  return {update};
}

function card(label, value, tone, test) {
  return h('div', {class: 'card ' + tone},
    h('dt', {text: label}), h('dd', {test, text: value}));
}
