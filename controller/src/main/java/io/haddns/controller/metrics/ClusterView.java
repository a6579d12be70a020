package io.haddns.controller.metrics;

import io.haddns.probe.Health;
import java.time.Instant;
import java.util.Map;

/**
 * What the cluster gauges read at scrape time. Each method reads one in-memory view of the node
 * (never the whole admin status), never blocks and may be called from any thread.
 */
public interface ClusterView {

  /** Whether this node leads the cluster now. */
  boolean leading();

  /** Newest leader term (fencing token) this node has seen. */
  long epoch();

  /** Live cluster members this node sees. */
  int members();

  boolean zookeeperConnected();

  /** Connected to ZooKeeper and its views primed. */
  boolean ready();

  /** Every configured line's health as the planner sees it (operators' overrides applied). */
  Map<String, Health> lineHealth();

  /** Applied record sets per zone: how many, and when the least recently written one was. */
  Map<String, ZoneApplied> appliedByZone();

  /**
   * One zone's applied record sets.
   *
   * @param records how many record sets are applied
   * @param oldest when the least recently written of them was written
   */
  record ZoneApplied(int records, Instant oldest) {
    /** This summary with one more record set written at {@code at}. */
    public ZoneApplied plus(Instant at) {
      return new ZoneApplied(records + 1, at.isBefore(oldest) ? at : oldest);
    }
  }
}
