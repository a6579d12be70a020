package io.haddns.controller.config;

import io.haddns.controller.net.AddressPolicy;
import io.haddns.probe.engine.ProbeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One uplink: its address source, probe set and health thresholds.
 *
 * @param fastInterval the time between probe rounds while the line's health is changing (some
 *     failed rounds of an up line, fewer than {@code fall}, or some successful rounds of a down
 *     one, fewer than {@code rise}); equal to {@code interval} unless set
 * @param addressPolicy the addresses its reporter may report, as written ({@code allowPrivate});
 *     {@link HaddnsConfig#addressPolicies} widens it by the reporter's own {@code allowPrivate}
 */
public record LineConfig(
    String name,
    LineAddress address,
    List<ProbeSpec> probes,
    Duration interval,
    Duration fastInterval,
    Duration timeout,
    int fall,
    int rise,
    AddressPolicy addressPolicy) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(800);
  public static final int DEFAULT_FALL = 3;
  public static final int DEFAULT_RISE = 2;

  public LineConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    probes = List.copyOf(probes);
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(fastInterval, "fastInterval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(addressPolicy, "addressPolicy");
  }

  /**
   * A line admitting globally reachable addresses only, probed at {@code interval} whatever its
   * health is doing.
   */
  public LineConfig(
      String name,
      LineAddress address,
      List<ProbeSpec> probes,
      Duration interval,
      Duration timeout,
      int fall,
      int rise) {
    this(name, address, probes, interval, interval, timeout, fall, rise, AddressPolicy.PUBLIC_ONLY);
  }
}
