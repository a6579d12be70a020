package io.haddns.controller.store;

import java.util.Locale;
import java.util.Optional;

/** What a failover drill rehearses (docs/operations.md, "Failover drills"). */
public enum DrillKind {
  /** A line is treated as failing for a while: its records move away, then come back. */
  LINE_FAILURE,
  /** The leader hands over to another node, measured. */
  LEADER_FAILOVER,
  /** A zone's provider calls fail inside haddns for a while, then the zone converges. */
  PROVIDER_OUTAGE,
  /** The leader halts its own process at once (opt-in per cluster). */
  LEADER_CRASH;

  /** The name used in the API, the CLI and metrics ({@code line-failure}, …). */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether this kind needs another live node to take over. */
  public boolean movesLeadership() {
    return this == LEADER_FAILOVER || this == LEADER_CRASH;
  }

  public static Optional<DrillKind> parse(String label) {
    for (DrillKind k : values()) {
      if (k.label().equals(label)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
