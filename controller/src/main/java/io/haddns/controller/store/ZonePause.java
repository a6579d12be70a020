package io.haddns.controller.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's write pause of a zone: while it exists the leader neither writes the zone nor
 * repairs its drift.
 *
 * @param by the credential name of whoever set it (never a secret)
 */
public record ZonePause(String zone, String reason, String by, Instant at) {
  public ZonePause {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(at, "at");
    reason = reason == null ? "" : reason;
  }
}
