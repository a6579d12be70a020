package io.haddns.controller.provider;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import java.util.List;
import java.util.Set;

/**
 * Writes the RRsets of one zone to one DNS backend.
 *
 * <p>Threading: calls are made by one reconciler thread at a time per zone; implementations need
 * not be safe for concurrent calls. Every call blocks until done or failed, bounded by the
 * provider's configured timeout. Errors are {@link TransientProviderException} (retry), {@link
 * PermanentProviderException} (surface) or {@link FencedException} (a newer leader owns the zone:
 * stop).
 *
 * <p>Fencing: before the first write of a term the leader calls {@link #claim(long)}; providers
 * that support a conditional write make every later {@link #apply} conditional on that epoch.
 */
public interface DnsProvider extends AutoCloseable {

  /** The canonical zone name this provider writes. */
  String zone();

  /** Whether {@link #apply} is conditional on the claimed epoch at the backend itself. */
  boolean fencesWrites();

  /**
   * The most RRset changes one backend call carries (an UPDATE message, an API batch); {@link
   * #apply} splits larger change lists into calls of at most this many. Backends without batches
   * answer 1.
   */
  int maxChangesPerCall();

  /**
   * Makes {@code epoch} the zone's fence holder by compare-and-set against whatever epoch holds it
   * now. Idempotent for the same epoch.
   *
   * @throws FencedException if a higher epoch already holds the zone
   */
  void claim(long epoch) throws ProviderException;

  /**
   * Readies the path of this provider's first write without making one: a follower calls it once,
   * so that the fence claim right after it takes over does not pay for first use (classes loaded,
   * connections and keys set up, docs/architecture.md, "Fast takeover"). It may read; it never
   * changes anything at the backend. Backends whose reads cost (API quotas) keep this default,
   * which does nothing.
   */
  default void prepare() throws ProviderException {}

  /** Reads back the A and AAAA RRsets of the zone, without haddns' own bookkeeping records. */
  List<RecordSet> list() throws ProviderException;

  /**
   * The keys whose RRsets carried haddns' ownership mark at the backend (a comment, a remark, an
   * owner record) as of the last {@link #list()}. Backends without such a mark answer an empty set;
   * ownership then rests on the applied state in ZooKeeper alone.
   */
  Set<RecordKey> ownedKeys();

  /**
   * Applies the changes, atomically where the backend allows. An empty list writes nothing.
   *
   * @throws FencedException if {@code epoch} no longer holds the zone's fence
   */
  void apply(List<Change> changes, long epoch) throws ProviderException;

  @Override
  void close();
}
