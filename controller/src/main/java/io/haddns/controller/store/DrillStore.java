package io.haddns.controller.store;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Failover drills in the replicated state ({@code drills/<id>}): requests, their progress and their
 * reports (docs/operations.md, "Failover drills").
 *
 * <p>Reads come from a warm view and never block. Operator writes (a request, an abort) are not
 * fenced but compare-and-set; the leader's writes are fenced by its term and the drill's version.
 * Every write that carries an audit event commits with it in one transaction: both or neither.
 * Writes block until committed and throw {@link IntentConflictException} when a version differs and
 * {@link StoreUnavailableException} when ZooKeeper cannot be reached (outcome unknown).
 * Thread-safe.
 */
public interface DrillStore {

  /** Every drill by id, running or ended, from the warm view. */
  Map<String, Versioned<Drill>> drills();

  /**
   * The version of the drills' parent node in the view: {@link #start} changes it, so two requests
   * made from the same view cannot both start a drill.
   */
  int drillsVersion();

  /**
   * Creates {@code drill} if the parent node is still at {@code parentVersion} (no other drill was
   * started since the caller's view).
   */
  void start(Drill drill, int parentVersion, AuditEvent event) throws IntentConflictException;

  /** An operator's change of a drill (an abort request), compare-and-set, with its audit event. */
  void update(Drill drill, int expectedVersion, AuditEvent event) throws IntentConflictException;

  /**
   * The leader's change of a drill, checked against {@code epoch} and the drill's version; with an
   * audit event when {@code event} is not null.
   */
  void advance(long epoch, Drill drill, int expectedVersion, AuditEvent event)
      throws NotLeaderException, IntentConflictException;

  /** The leader's removal of an old report (retention), fenced like {@link #advance}. */
  void remove(long epoch, String id, int expectedVersion)
      throws NotLeaderException, IntentConflictException;

  /** Calls {@code listener} on {@code executor} after drills changed (coalescing allowed). */
  void addDrillListener(Runnable listener, Executor executor);
}
