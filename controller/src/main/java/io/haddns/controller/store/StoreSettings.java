package io.haddns.controller.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link ZkStateStore}.
 *
 * @param operationTimeout upper bound of every blocking ZooKeeper call; past it the outcome is
 *     unknown and the call fails with {@link StoreUnavailableException}
 * @param maxOpsPerTransaction operations per multi-op transaction (ZooKeeper refuses requests above
 *     {@code jute.maxbuffer}, about 1 MB)
 * @param maxBytesPerTransaction payload bytes per transaction, kept well below {@code
 *     jute.maxbuffer}
 * @param auditMaxEvents audit events kept of each kind (leader, gateway); older ones are trimmed, a
 *     gateway batch that straddles the limit is kept whole
 * @param auditMaxAge audit events older than this are trimmed
 */
public record StoreSettings(
    Duration operationTimeout,
    int maxOpsPerTransaction,
    int maxBytesPerTransaction,
    int auditMaxEvents,
    Duration auditMaxAge) {

  public StoreSettings {
    Objects.requireNonNull(operationTimeout, "operationTimeout");
    Objects.requireNonNull(auditMaxAge, "auditMaxAge");
    if (operationTimeout.isNegative() || operationTimeout.isZero()) {
      throw new IllegalArgumentException(
          "operationTimeout must be positive, was " + operationTimeout);
    }
    if (maxOpsPerTransaction < 3) {
      throw new IllegalArgumentException(
          "maxOpsPerTransaction must be at least 3, was " + maxOpsPerTransaction);
    }
    if (maxBytesPerTransaction < 4096 || maxBytesPerTransaction > 900_000) {
      throw new IllegalArgumentException(
          "maxBytesPerTransaction must be 4096..900000, was " + maxBytesPerTransaction);
    }
    if (auditMaxEvents < 1) {
      throw new IllegalArgumentException("auditMaxEvents must be positive, was " + auditMaxEvents);
    }
    if (auditMaxAge.isNegative() || auditMaxAge.isZero()) {
      throw new IllegalArgumentException("auditMaxAge must be positive, was " + auditMaxAge);
    }
  }

  /** 5 s per call, 500 ops and 512 KiB per transaction, 10,000 audit events kept for 30 days. */
  public static StoreSettings defaults() {
    return new StoreSettings(Duration.ofSeconds(5), 500, 512 * 1024, 10_000, Duration.ofDays(30));
  }

  public StoreSettings withOperationTimeout(Duration timeout) {
    return new StoreSettings(
        timeout, maxOpsPerTransaction, maxBytesPerTransaction, auditMaxEvents, auditMaxAge);
  }

  public StoreSettings withAudit(int maxEvents, Duration maxAge) {
    return new StoreSettings(
        operationTimeout, maxOpsPerTransaction, maxBytesPerTransaction, maxEvents, maxAge);
  }
}
