package io.haddns.controller.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the append-only audit trail.
 *
 * @param type a short bounded kind: {@code leadership}, {@code health}, {@code apply}, {@code
 *     apply-failed}, {@code config}, …
 * @param detail human-readable, never containing secrets
 */
public record AuditEvent(Instant at, String node, String type, String detail) {
  public AuditEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(type, "type");
    detail = detail == null ? "" : detail;
  }
}
