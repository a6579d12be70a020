package io.haddns.controller.plan;

import io.haddns.probe.Health;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** What the planner knows of a line: its decided health and its current addresses. */
public record LineState(String line, Health health, List<InetAddress> addresses) {
  public LineState {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(health, "health");
    addresses = List.copyOf(addresses);
  }

  public boolean isUp() {
    return health == Health.UP;
  }
}
