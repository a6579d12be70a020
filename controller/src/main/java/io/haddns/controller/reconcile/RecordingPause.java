package io.haddns.controller.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * How long recording a zone's applied changes in ZooKeeper waits for a pause in the zone's
 * reconciles: until none (planning or writing) has been under way for {@code quiet}, for {@code
 * atMost} in all. During a mass change, a reconcile's tens of thousands of records are then
 * recorded after the reconciles that follow it instead of competing with their writes for the CPU
 * (docs/architecture.md, "recording what was applied"). A reconcile that needs the recordings done
 * (a claim before a create, a read-back) does not wait for the pause. {@link #NONE} records at
 * once.
 *
 * @param quiet how long the zone must have had no reconcile under way
 * @param atMost the longest a recording waits, however busy the zone stays
 */
public record RecordingPause(Duration quiet, Duration atMost) {
  /** No wait. */
  public static final RecordingPause NONE = new RecordingPause(Duration.ZERO, Duration.ZERO);

  /**
   * What a node uses for zones whose provider writes somewhere other than ZooKeeper: the quiet
   * period bridges the gap between two reconciles of an outage whose verdicts keep coming.
   */
  public static final RecordingPause DEFAULT =
      new RecordingPause(Duration.ofMillis(200), Duration.ofSeconds(5));

  public RecordingPause {
    Objects.requireNonNull(quiet, "quiet");
    Objects.requireNonNull(atMost, "atMost");
    if (quiet.isNegative() || atMost.isNegative()) {
      throw new IllegalArgumentException(
          "recording pause must not be negative: " + quiet + ", " + atMost);
    }
  }

  /** True when a recording never waits. */
  boolean none() {
    return atMost.isZero();
  }
}
