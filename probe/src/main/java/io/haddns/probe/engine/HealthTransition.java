package io.haddns.probe.engine;

import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/** A line's health changed from {@code from} to {@code to} at {@code at}, for these addresses. */
public record HealthTransition(
    String line, List<InetAddress> addresses, Health from, Health to, Instant at, String reason) {

  public HealthTransition {
    addresses = List.copyOf(addresses);
    reason = reason == null ? "" : reason;
  }
}
