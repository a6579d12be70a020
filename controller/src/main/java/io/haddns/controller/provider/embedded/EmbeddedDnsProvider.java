package io.haddns.controller.provider.embedded;

import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.store.StateStore;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The provider of zones served by the cluster's own embedded DNS server ({@code provider: { type:
 * embedded }}). The zone's DNS data <em>is</em> the applied state in ZooKeeper, which every node's
 * server answers from, so this provider writes nothing itself:
 *
 * <ul>
 *   <li>{@link #apply} only checks the term. The write that makes a change visible in DNS is the
 *       reconciler's {@link StateStore#putApplied}, which runs right after {@code apply} and is one
 *       ZooKeeper transaction that includes the epoch version check: a stale leader's write fails
 *       with {@code NotLeaderException} and changes nothing. That check is the fence, so {@link
 *       #fencesWrites()} is true.
 *   <li>{@link #list} returns the applied view of the zone, so a read-back never finds drift.
 *   <li>{@link #claim} fails with {@link FencedException} when the store has seen a newer term.
 * </ul>
 *
 * <p>Never blocks (reads come from the store's warm views). Thread-safe.
 */
public final class EmbeddedDnsProvider implements DnsProvider {
  private final String zone;
  private final StateStore store;

  public EmbeddedDnsProvider(String zone, StateStore store) {
    this.zone = DnsNames.canonical(Objects.requireNonNull(zone, "zone"));
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public String zone() {
    return zone;
  }

  @Override
  public boolean fencesWrites() {
    return true;
  }

  /** The applied state is written in one ZooKeeper transaction, whatever its size. */
  @Override
  public int maxChangesPerCall() {
    return Integer.MAX_VALUE;
  }

  @Override
  public void claim(long epoch) throws FencedException {
    checkTerm(epoch);
  }

  @Override
  public List<RecordSet> list() {
    return store.applied().values().stream()
        .filter(a -> a.zone().equals(zone))
        .map(a -> a.record())
        .toList();
  }

  /** Every RRset of an embedded zone is haddns' own. */
  @Override
  public Set<RecordKey> ownedKeys() {
    return store.applied().values().stream()
        .filter(a -> a.zone().equals(zone))
        .map(a -> a.record().key())
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void apply(List<Change> changes, long epoch) throws FencedException {
    checkTerm(epoch);
  }

  // The view may not have seen this node's own beginTerm yet, so only an older epoch is stale.
  private void checkTerm(long epoch) throws FencedException {
    long current = store.currentEpoch();
    if (epoch < current) {
      throw new FencedException(
          "zone " + zone + ": epoch " + epoch + " is stale, the cluster is at epoch " + current);
    }
  }

  @Override
  public void close() {
    // Nothing to release: the store belongs to the node.
  }
}
