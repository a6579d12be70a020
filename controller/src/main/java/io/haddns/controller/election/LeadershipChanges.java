package io.haddns.controller.election;

/**
 * Where an election reports the leadership changes it causes or suffers, for metrics
 * (docs/architecture.md, "Fast takeover"). Called on the election's own threads; implementations
 * return at once and never throw.
 */
public interface LeadershipChanges {

  /** Why a follower judged the leader dead and removed its latch node. */
  enum TakeoverReason {
    /** The lease did not change for {@code detection}. */
    LEASE_EXPIRED("lease-expired"),
    /** The lease did not change for {@code refusedDetection} and the admin port refused. */
    PORT_REFUSED("port-refused"),
    /**
     * The leader's process ended: a follower's connection to its admin port closed and the port
     * then refused (docs/architecture.md, "Fast takeover").
     */
    PORT_CLOSED("port-closed");

    private final String label;

    TakeoverReason(String label) {
      this.label = label;
    }

    /** The metric label value. */
    public String label() {
      return label;
    }
  }

  /** Why a leader's term ended other than by its own node stopping. */
  enum StepDownReason {
    /** A follower removed this leader's latch node (it judged the leader dead). */
    LATCH_REMOVED("latch-removed"),
    /** Another node began a term: the epoch moved past this leader's. */
    EPOCH_MOVED("epoch-moved"),
    /** No lease renewal was confirmed in time: followers may already judge it dead. */
    LEASE_UNCONFIRMED("lease-unconfirmed"),
    /** Curator's latch said this node no longer leads (e.g. its session expired). */
    LATCH_LOST("latch-lost"),
    /** The ZooKeeper connection was suspended. */
    ZOOKEEPER_SUSPENDED("zookeeper-suspended"),
    /** The ZooKeeper session was lost. */
    ZOOKEEPER_LOST("zookeeper-lost"),
    /** The connection turned read-only. */
    ZOOKEEPER_READ_ONLY("zookeeper-read-only");

    private final String label;

    StepDownReason(String label) {
      this.label = label;
    }

    /** The metric label value. */
    public String label() {
      return label;
    }
  }

  /** This node judged the leader dead and removed its latch node; the latch moves on. */
  void tookOver(TakeoverReason reason);

  /** This node led and its term ended for {@code reason}. */
  void steppedDown(StepDownReason reason);

  /**
   * This node's term fell in doubt: no lease renewal confirmed for nearly {@code detection}; it
   * holds its writes until one is, or steps down.
   */
  void leaseDoubted();

  /** Reports nowhere. */
  LeadershipChanges NONE =
      new LeadershipChanges() {
        @Override
        public void tookOver(TakeoverReason reason) {}

        @Override
        public void steppedDown(StepDownReason reason) {}

        @Override
        public void leaseDoubted() {}
      };
}
