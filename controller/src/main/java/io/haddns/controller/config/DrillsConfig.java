package io.haddns.controller.config;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Failover drills (section {@code drills}, docs/operations.md "Failover drills").
 *
 * @param allowLeaderCrash whether {@code leader-crash} drills may run: the leader halts its own
 *     process, and only a process supervisor brings it back
 * @param objective the recovery time objective of a drill started without one
 * @param maxDuration the longest failure a drill may inject
 * @param alarmWindow a drill is refused while a DNS apply failed permanently (audit kind {@code
 *     apply-failed}) within this long (soft)
 * @param blackouts daily UTC windows in which drills are refused (soft)
 * @param keep reports kept; older ones are removed
 * @param maxAge reports older than this are removed
 * @param practice drills the leader starts by itself on a schedule (like manual ones, blocked by
 *     the same guard rails)
 */
public record DrillsConfig(
    boolean allowLeaderCrash,
    Duration objective,
    Duration maxDuration,
    Duration alarmWindow,
    List<Window> blackouts,
    int keep,
    Duration maxAge,
    List<Practice> practice) {

  /** The drill kinds a practice entry may name. */
  public static final List<String> KINDS =
      List.of("line-failure", "provider-outage", "leader-failover", "leader-crash");

  /**
   * A scheduled practice drill: started by the leader once every {@code every}, inside one of its
   * {@code windows} (any time when none).
   */
  public record Practice(
      String name,
      String kind,
      Optional<String> line,
      Optional<String> zone,
      Optional<Duration> duration,
      Optional<Duration> rto,
      Duration every,
      List<Window> windows) {
    public Practice {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(line, "line");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(rto, "rto");
      Objects.requireNonNull(every, "every");
      windows = List.copyOf(windows);
    }

    /** Whether {@code at} is inside one of its windows (always, without windows). */
    public boolean allowedAt(Instant at) {
      return windows.isEmpty() || windows.stream().anyMatch(w -> w.contains(at));
    }
  }

  /** Without practice drills. */
  public DrillsConfig(
      boolean allowLeaderCrash,
      Duration objective,
      Duration maxDuration,
      Duration alarmWindow,
      List<Window> blackouts,
      int keep,
      Duration maxAge) {
    this(allowLeaderCrash, objective, maxDuration, alarmWindow, blackouts, keep, maxAge, List.of());
  }

  public static final Duration DEFAULT_OBJECTIVE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(1);
  public static final Duration DEFAULT_ALARM_WINDOW = Duration.ofMinutes(15);
  public static final int DEFAULT_KEEP = 50;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(90);

  /** A daily window of UTC times, {@code from} inclusive to {@code to} exclusive; may wrap. */
  public record Window(LocalTime from, LocalTime to) {
    public Window {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    /** Whether {@code at} falls in the window. */
    public boolean contains(Instant at) {
      LocalTime t = LocalTime.ofInstant(at, ZoneOffset.UTC);
      return from.isBefore(to) || from.equals(to)
          ? !t.isBefore(from) && t.isBefore(to)
          : !t.isBefore(from) || t.isBefore(to);
    }

    /** As written in the configuration: {@code 22:00-06:00}. */
    public String label() {
      return from + "-" + to;
    }

    /** Parses {@code HH:MM-HH:MM}; empty when it is not one. */
    public static Optional<Window> parse(String text) {
      String[] parts = text.strip().split("-", -1);
      if (parts.length != 2) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Window(LocalTime.parse(parts[0]), LocalTime.parse(parts[1])));
      } catch (java.time.format.DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  public DrillsConfig {
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(maxDuration, "maxDuration");
    Objects.requireNonNull(alarmWindow, "alarmWindow");
    Objects.requireNonNull(maxAge, "maxAge");
    blackouts = List.copyOf(blackouts);
    practice = List.copyOf(practice);
    if (keep < 1) {
      throw new IllegalArgumentException("drills.keep must be positive, was " + keep);
    }
  }

  /** No leader crashes, a 30 s objective, failures of at most 1 h, 50 reports for 90 days. */
  public static DrillsConfig defaults() {
    return new DrillsConfig(
        false,
        DEFAULT_OBJECTIVE,
        DEFAULT_MAX_DURATION,
        DEFAULT_ALARM_WINDOW,
        List.of(),
        DEFAULT_KEEP,
        DEFAULT_MAX_AGE);
  }

  /** The blackout window {@code at} falls in, if any. */
  public Optional<Window> blackoutAt(Instant at) {
    return blackouts.stream().filter(w -> w.contains(at)).findFirst();
  }
}
