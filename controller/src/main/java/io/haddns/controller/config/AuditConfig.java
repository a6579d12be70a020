package io.haddns.controller.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Retention of the audit trail (section {@code audit}).
 *
 * @param maxEvents events kept of each kind (the leader's, the gateways'); older ones are trimmed
 * @param maxAge events older than this are trimmed
 */
public record AuditConfig(int maxEvents, Duration maxAge) {
  public static final int DEFAULT_MAX_EVENTS = 10_000;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);

  public AuditConfig {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxEvents < 1) {
      throw new IllegalArgumentException("audit.maxEvents must be positive, was " + maxEvents);
    }
    if (!maxAge.isPositive()) {
      throw new IllegalArgumentException("audit.maxAge must be positive, was " + maxAge);
    }
  }

  /** 10,000 events of each kind, kept for 30 days. */
  public static AuditConfig defaults() {
    return new AuditConfig(DEFAULT_MAX_EVENTS, DEFAULT_MAX_AGE);
  }
}
