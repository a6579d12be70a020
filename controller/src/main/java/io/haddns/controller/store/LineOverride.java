package io.haddns.controller.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's forced state of a line: the leader treats the line as {@code forced} whatever its
 * probes say, until {@code until} (if given) or until cleared. Probing continues underneath.
 *
 * @param by the credential name of whoever set it (never a secret)
 * @param until when it expires by itself; empty for "until cleared"
 */
public record LineOverride(
    String line, Forced forced, String reason, String by, Instant at, Optional<Instant> until) {

  /** The state an override forces. */
  public enum Forced {
    DOWN,
    UP;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public LineOverride {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(forced, "forced");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(until, "until");
    reason = reason == null ? "" : reason;
  }

  /** True while it applies at {@code now}: set and not yet expired. */
  public boolean activeAt(Instant now) {
    return until.map(now::isBefore).orElse(true);
  }
}
