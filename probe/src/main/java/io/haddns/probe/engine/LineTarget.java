package io.haddns.probe.engine;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to probe for one line: its current addresses and its probe set. A probe round succeeds when
 * every probe succeeds against every address; {@code fall} failed rounds in a row make the line
 * down, {@code rise} successful rounds in a row make it up.
 *
 * @param interval the time from one round's start to the next
 * @param fastInterval the same while the line's health is changing (a streak against it has begun
 *     but not yet reached {@code fall} or {@code rise}); positive and at most {@code interval},
 *     which it equals when the line has no faster rounds
 */
public record LineTarget(
    String line,
    List<InetAddress> addresses,
    List<ProbeSpec> probes,
    Duration interval,
    Duration fastInterval,
    Duration timeout,
    int fall,
    int rise) {

  public LineTarget {
    Objects.requireNonNull(line, "line");
    addresses = List.copyOf(addresses);
    probes = List.copyOf(probes);
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(fastInterval, "fastInterval");
    Objects.requireNonNull(timeout, "timeout");
    if (probes.isEmpty()) {
      throw new IllegalArgumentException("line " + line + ": at least one probe is required");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("line " + line + ": interval must be positive");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("line " + line + ": timeout must be positive");
    }
    if (fastInterval.isNegative()
        || fastInterval.isZero()
        || fastInterval.compareTo(interval) > 0) {
      throw new IllegalArgumentException(
          "line " + line + ": fastInterval must be positive and at most the interval");
    }
    if (fall < 1 || rise < 1) {
      throw new IllegalArgumentException("line " + line + ": fall and rise must be >= 1");
    }
  }

  /** A line probed at {@code interval} whatever its health is doing. */
  public LineTarget(
      String line,
      List<InetAddress> addresses,
      List<ProbeSpec> probes,
      Duration interval,
      Duration timeout,
      int fall,
      int rise) {
    this(line, addresses, probes, interval, interval, timeout, fall, rise);
  }
}
