package io.haddns.controller.election;

/**
 * Told when this node gains or loses leadership.
 *
 * <p>Threading: called on the election's own single-thread executor, never on ZooKeeper's event
 * thread and never concurrently; {@code lost} always follows an {@code acquired}. {@code lost} is
 * called as soon as leadership is in doubt (connection SUSPENDED), not only when another node has
 * taken over: after it returns the node must not write.
 */
public interface LeadershipListener {

  /** This node leads for term {@code epoch}; every leader write must carry it. */
  void acquired(long epoch);

  /** This node no longer leads (or is unsure); {@code reason} is for logs. */
  void lost(String reason);

  /**
   * Term {@code epoch} is in doubt: its lease renewal is late (a starved process or a slow
   * ZooKeeper). The term is kept, but after this returns the node must not write until {@link
   * #confirmed} for the same epoch, or until {@link #lost}.
   */
  void inDoubt(long epoch);

  /** Term {@code epoch}'s doubt is over: a lease renewal was confirmed; writes may resume. */
  void confirmed(long epoch);
}
