package io.haddns.controller.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The leader lease that lets followers take over from a dead leader faster than its ZooKeeper
 * session expires (docs/architecture.md, "Fast takeover"; keys in docs/configuration.md).
 *
 * @param enabled false: a dead leader is replaced only once its session expires
 * @param renewInterval how often the leader renews its lease in ZooKeeper
 * @param detection how long a follower must see the lease unchanged before it judges the leader
 *     dead
 * @param refusedDetection the shorter unchanged age that suffices when, in addition, the leader's
 *     admin port refuses connections (its process is gone while its host is up)
 * @param checkInterval how often a follower reads the lease; also the limit of one port probe
 * @param connectionWatch whether each follower keeps an idle connection to the leader's admin port,
 *     so that the end of the leader's process (the connection closed, then the port refusing) is
 *     acted on at once, without waiting for {@code refusedDetection}
 */
public record LeaderLeaseConfig(
    boolean enabled,
    Duration renewInterval,
    Duration detection,
    Duration refusedDetection,
    Duration checkInterval,
    boolean connectionWatch) {

  public static final LeaderLeaseConfig DEFAULTS =
      new LeaderLeaseConfig(
          true,
          Duration.ofMillis(150),
          Duration.ofMillis(600),
          Duration.ofMillis(300),
          Duration.ofMillis(50),
          true);

  /** Takeover waits for the session to expire, as before the lease existed. */
  public static final LeaderLeaseConfig DISABLED =
      new LeaderLeaseConfig(
          false,
          DEFAULTS.renewInterval,
          DEFAULTS.detection,
          DEFAULTS.refusedDetection,
          DEFAULTS.checkInterval,
          DEFAULTS.connectionWatch);

  public LeaderLeaseConfig {
    Objects.requireNonNull(renewInterval, "renewInterval");
    Objects.requireNonNull(detection, "detection");
    Objects.requireNonNull(refusedDetection, "refusedDetection");
    Objects.requireNonNull(checkInterval, "checkInterval");
  }
}
