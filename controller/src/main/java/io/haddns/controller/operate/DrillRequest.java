package io.haddns.controller.operate;

import io.haddns.controller.store.DrillKind;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator asks a drill to do.
 *
 * @param line the line a {@code line-failure} drill fails
 * @param zone the zone a {@code provider-outage} drill cuts off
 * @param duration how long the failure lasts (line and provider drills)
 * @param rto the recovery time objective; the configured one when empty
 * @param force skip the soft guard rails (admins only)
 */
public record DrillRequest(
    DrillKind kind,
    Optional<String> line,
    Optional<String> zone,
    Optional<Duration> duration,
    Optional<Duration> rto,
    boolean force) {
  public DrillRequest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(rto, "rto");
  }
}
