/**
 * Leader election: a Curator {@code LeaderLatch} per node, the term that begins with it (epoch bump
 * in one transaction), and the leader lease that lets followers replace a dead leader before its
 * session expires (docs/architecture.md, "Fast takeover").
 *
 * <p>It tells a {@link io.haddns.controller.election.LeadershipListener} on its own single thread,
 * never on ZooKeeper's event thread. It decides who leads and nothing else: it does no probing,
 * reconciling or DNS writing, and ends leadership at once when its connection is suspended.
 */
package io.haddns.controller.election;
