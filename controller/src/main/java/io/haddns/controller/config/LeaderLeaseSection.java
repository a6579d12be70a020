package io.haddns.controller.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads {@code cluster.leaderLease} and refuses thresholds that would make takeover unsafe or
 * flappy (docs/configuration.md, "Leader lease").
 */
final class LeaderLeaseSection {
  static final Duration MIN_RENEW_INTERVAL = Duration.ofMillis(20);
  static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(10);

  private LeaderLeaseSection() {}

  /**
   * The lease settings under {@code cluster.leaderLease}, the defaults when absent; empty after a
   * problem was reported.
   */
  static Optional<LeaderLeaseConfig> read(Optional<YamlValue> value, Duration sessionTimeout) {
    if (value.isEmpty()) {
      return Optional.of(LeaderLeaseConfig.DEFAULTS);
    }
    Optional<YamlMap> section = value.get().map();
    if (section.isEmpty()) {
      return Optional.empty();
    }
    YamlMap map =
        section
            .get()
            .allow(
                "enabled",
                "renewInterval",
                "detection",
                "refusedDetection",
                "checkInterval",
                "connectionWatch");
    LeaderLeaseConfig d = LeaderLeaseConfig.DEFAULTS;
    Optional<Boolean> enabled =
        map.get("enabled").map(YamlValue::bool).orElse(Optional.of(d.enabled()));
    // Unset, the other durations follow the renewal interval, so changing it alone stays valid.
    Optional<Duration> renew =
        map.get("renewInterval")
            .map(v -> v.duration(MIN_RENEW_INTERVAL))
            .orElse(Optional.of(d.renewInterval()));
    Optional<Duration> detection =
        map.get("detection")
            .map(v -> v.duration(Duration.ofMillis(1)))
            .orElse(renew.map(r -> max(d.detection(), r.multipliedBy(4))));
    Optional<Duration> refused =
        map.get("refusedDetection")
            .map(v -> v.duration(Duration.ofMillis(1)))
            .orElse(renew.map(r -> max(d.refusedDetection(), r.multipliedBy(2))));
    Optional<Duration> check =
        map.get("checkInterval")
            .map(v -> v.duration(MIN_CHECK_INTERVAL))
            .orElse(renew.map(r -> min(d.checkInterval(), r)));
    Optional<Boolean> watch =
        map.get("connectionWatch").map(YamlValue::bool).orElse(Optional.of(d.connectionWatch()));
    if (enabled.isEmpty()
        || watch.isEmpty()
        || renew.isEmpty()
        || detection.isEmpty()
        || refused.isEmpty()
        || check.isEmpty()) {
      return Optional.empty();
    }
    LeaderLeaseConfig lease =
        new LeaderLeaseConfig(
            enabled.get(), renew.get(), detection.get(), refused.get(), check.get(), watch.get());
    if (lease.enabled() && !consistent(map, lease, sessionTimeout)) {
      return Optional.empty();
    }
    return Optional.of(lease);
  }

  private static boolean consistent(YamlMap map, LeaderLeaseConfig l, Duration session) {
    boolean ok = true;
    if (l.detection().compareTo(l.renewInterval().multipliedBy(3)) < 0) {
      ok =
          refuse(
              map,
              "detection",
              "cluster.leaderLease.detection ("
                  + f(l.detection())
                  + ") must be at least three renewal intervals ("
                  + f(l.renewInterval().multipliedBy(3))
                  + "): otherwise two renewals lost or late in a row already look like a dead"
                  + " leader, and a slow leader is replaced again and again");
    }
    if (l.detection().compareTo(session) >= 0) {
      ok =
          refuse(
              map,
              "detection",
              "cluster.leaderLease.detection ("
                  + f(l.detection())
                  + ") must be shorter than cluster.sessionTimeout ("
                  + f(session)
                  + "): the session expiry would replace a dead leader first; set"
                  + " cluster.leaderLease.enabled: false instead");
    }
    if (l.refusedDetection().compareTo(l.renewInterval().multipliedBy(2)) < 0
        || l.refusedDetection().compareTo(l.detection()) > 0) {
      ok =
          refuse(
              map,
              "refusedDetection",
              "cluster.leaderLease.refusedDetection ("
                  + f(l.refusedDetection())
                  + ") must be between two renewal intervals ("
                  + f(l.renewInterval().multipliedBy(2))
                  + ") and cluster.leaderLease.detection ("
                  + f(l.detection())
                  + "): a refused port only shortens the wait for a lease that has already missed"
                  + " a renewal");
    }
    if (l.checkInterval().compareTo(l.renewInterval()) > 0) {
      ok =
          refuse(
              map,
              "checkInterval",
              "cluster.leaderLease.checkInterval ("
                  + f(l.checkInterval())
                  + ") must not exceed cluster.leaderLease.renewInterval ("
                  + f(l.renewInterval())
                  + "): a follower's probe round (one lease read, one port probe) must fit in one"
                  + " renewal, so that it sees every renewal and its verdict lags detection by less"
                  + " than a round");
    }
    return ok;
  }

  private static boolean refuse(YamlMap map, String key, String reason) {
    map.get(key).ifPresentOrElse(v -> v.problem(reason), () -> map.missing(key, reason));
    return false;
  }

  private static String f(Duration d) {
    return DurationSyntax.format(d);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
