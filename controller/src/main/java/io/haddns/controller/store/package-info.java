/**
 * The cluster's replicated state in ZooKeeper: {@link io.haddns.controller.store.ZkStateStore} and
 * its companions own every path ({@link io.haddns.controller.store.ZkPaths}), the warm in-memory
 * views, the leader's fenced writes (every transaction checks the epoch), the gateway's
 * compare-and-set address writes, intents, drills, the outbox and the audit trail.
 *
 * <p>Apart from the election's latch and lease, no other package writes ZooKeeper. Reads come from
 * the warm views and never touch the network; every blocking call is bounded by the operation
 * timeout.
 */
package io.haddns.controller.store;
