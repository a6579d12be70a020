package io.haddns.controller.store;

import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A line's last decided health, as the leader wrote it on a transition.
 *
 * @param addresses the addresses that were probed when the decision was made
 * @param epoch the leader term that wrote it
 */
public record LineHealth(
    String line,
    Health health,
    List<InetAddress> addresses,
    Instant since,
    long epoch,
    String reason) {
  public LineHealth {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(health, "health");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(since, "since");
    reason = reason == null ? "" : reason;
  }
}
