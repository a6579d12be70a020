package io.haddns.probe.engine;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to probe for one line: its current addresses and its probe set. A probe round succeeds when
 * every probe succeeds against every address; {@code fall} failed rounds in a row make the line
 * down, {@code rise} successful rounds in a row make it up.
 */
public record LineTarget(
    String line,
    List<InetAddress> addresses,
    List<ProbeSpec> probes,
    Duration interval,
    Duration timeout,
    int fall,
    int rise) {

  public LineTarget {
    Objects.requireNonNull(line, "line");
    addresses = List.copyOf(addresses);
    probes = List.copyOf(probes);
    Objects.requireNonNull(interval, "interval");
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
    if (fall < 1 || rise < 1) {
      throw new IllegalArgumentException("line " + line + ": fall and rise must be >= 1");
    }
  }
}
