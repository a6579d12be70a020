package io.haddns.controller.election;

import java.util.Optional;

/**
 * Elects one leader among the cluster's nodes.
 *
 * <p>Lifecycle: constructed without I/O, {@link #start()} once, {@link #close()} once; closing a
 * leader hands leadership over at once.
 */
public interface LeaderElection extends AutoCloseable {

  void start();

  /**
   * True while this node holds leadership, its term has begun and is not in doubt (see {@link
   * LeadershipListener#inDoubt}).
   */
  boolean isLeader();

  /** The epoch of this node's current term, or 0 when not leading. */
  long epoch();

  /** The node id of the current leader, as far as this node knows. */
  Optional<String> leaderId();

  @Override
  void close();
}
