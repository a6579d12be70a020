package io.haddns.controller.store;

import io.haddns.controller.dns.RecordKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's replicated state (line health, applied records, epoch, members, audit).
 *
 * <p>Reads ({@link #health()}, {@link #applied()}, {@link #currentEpoch()}, {@link #members()})
 * come from warm in-memory views and never block on the network. Leader writes take the writer's
 * epoch and are conditional on it: each is one transaction that includes a version check of the
 * epoch node, and fails with {@link NotLeaderException} when another term has begun. Writes block
 * until committed or failed; a {@link StoreUnavailableException} means the outcome is unknown
 * (connection lost) and the caller must not assume it is still leader.
 *
 * <p>Thread-safe.
 */
public interface StateStore extends AutoCloseable {

  /**
   * Begins a leader term: in one transaction, checks that {@code latchNodePath} (this node's latch
   * node) exists and bumps the epoch with a version check. Returns the new epoch, the fencing token
   * for every later write of this term.
   */
  long beginTerm(String latchNodePath) throws NotLeaderException;

  /** The latest epoch seen by this node's view. */
  long currentEpoch();

  /** Records a health transition. */
  void putHealth(long epoch, LineHealth health) throws NotLeaderException;

  /**
   * Records a health transition and its audit event in one write checked against {@code epoch}:
   * both are stored or neither.
   */
  void putHealth(long epoch, LineHealth health, AuditEvent event) throws NotLeaderException;

  /** A line's decided health and the audit event of the transition to it. */
  record HealthChange(LineHealth health, AuditEvent event) {}

  /**
   * Records health transitions, each with its audit event, checked against {@code epoch}, in as few
   * transactions as the store allows (a region failing at once decides thousands of lines in a
   * second): each transition's health and event are stored together or not at all, in the order
   * given. A line appears at most once in {@code changes}.
   */
  default void putHealth(long epoch, List<HealthChange> changes) throws NotLeaderException {
    for (HealthChange c : changes) {
      putHealth(epoch, c.health(), c.event());
    }
  }

  /** Last decided health per line, from the warm view. */
  Map<String, LineHealth> health();

  /**
   * Records what was applied to the providers: upserts and removals in as few transactions as the
   * server's request size allows, each checked against {@code epoch}.
   */
  void putApplied(long epoch, Collection<AppliedRecord> upserts, Collection<RecordKey> removals)
      throws NotLeaderException;

  /** Applied record sets, from the warm view. */
  Map<RecordKey, AppliedRecord> applied();

  /** One applied record set, from the warm view, without copying the others. */
  default Optional<AppliedRecord> applied(RecordKey key) {
    return Optional.ofNullable(applied().get(key));
  }

  /**
   * The SOA serial of {@code zone}, from the warm view: the same on every node for the same applied
   * state, and never lower than before (it lives in the replicated state, so restarts and failovers
   * keep it). {@link #putApplied} advances it for every zone it touches, in the same fenced write;
   * 0 while the zone has none yet. Serials are 32-bit and advance by one per change (RFC 1982).
   */
  long zoneSerial(String zone);

  /**
   * Advances the serial of {@code zone} outside a leader write, for zone data that is not applied
   * records (the name servers, which follow the live members). Any node may call it; it does not
   * block.
   */
  void advanceSerial(String zone);

  /**
   * Appends to the audit trail, unfenced: for events any node may record (the gateway's). Trimmed
   * by age and count.
   */
  void audit(AuditEvent event);

  /**
   * Appends a leader's audit event (leadership, apply, …), checked against {@code epoch} like every
   * leader write: a stale leader's event is not stored.
   */
  void audit(long epoch, AuditEvent event) throws NotLeaderException;

  /**
   * Appends {@code events} in order; a store may write them in fewer transactions than events. The
   * default appends one by one.
   */
  default void audit(List<AuditEvent> events) {
    events.forEach(this::audit);
  }

  /** The newest audit events, newest last. */
  List<AuditEvent> recentAudit(int limit);

  /** Registers this node as a live member (ephemeral; re-registered after a new session). */
  void registerMember(MemberInfo member);

  /** Live members, from the warm view. */
  List<MemberInfo> members();

  @Override
  void close();
}
