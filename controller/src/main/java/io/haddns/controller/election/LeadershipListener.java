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
}
