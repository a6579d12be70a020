package io.haddns.controller.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ResilientDnsProvider} guards one provider. The breaker counts calls, not time: a zone
 * sees a few calls per minute, so a time-based window would rarely hold enough calls to decide.
 *
 * @param timeLimit longest a single call may take; keep it under a third of the ZooKeeper session
 *     timeout so a stale leader's last write ends before a new leader may start writing
 * @param slidingWindowSize how many recent calls the failure rate is computed over
 * @param minimumNumberOfCalls calls needed in the window before the breaker may open
 * @param failureRatePercent share of transient failures (0–100] that opens the breaker
 * @param waitInOpenState how long an open breaker rejects calls before trying again
 * @param permittedCallsInHalfOpen trial calls that decide whether to close or reopen
 */
public record ResilienceSettings(
    Duration timeLimit,
    int slidingWindowSize,
    int minimumNumberOfCalls,
    float failureRatePercent,
    Duration waitInOpenState,
    int permittedCallsInHalfOpen) {

  public ResilienceSettings {
    requirePositive("timeLimit", timeLimit);
    requirePositive("waitInOpenState", waitInOpenState);
    if (slidingWindowSize < 1) {
      throw new IllegalArgumentException("slidingWindowSize must be ≥ 1: " + slidingWindowSize);
    }
    if (minimumNumberOfCalls < 1 || minimumNumberOfCalls > slidingWindowSize) {
      throw new IllegalArgumentException(
          "minimumNumberOfCalls must be in [1, slidingWindowSize]: " + minimumNumberOfCalls);
    }
    if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
      throw new IllegalArgumentException(
          "failureRatePercent must be in (0, 100]: " + failureRatePercent);
    }
    if (permittedCallsInHalfOpen < 1) {
      throw new IllegalArgumentException(
          "permittedCallsInHalfOpen must be ≥ 1: " + permittedCallsInHalfOpen);
    }
  }

  /**
   * Tuned for low call volumes: opens when at least half of the last 10 calls (and at least 5)
   * failed transiently, stays open 10 s, then lets 3 trial calls through.
   */
  public static ResilienceSettings defaults(Duration timeLimit) {
    return new ResilienceSettings(timeLimit, 10, 5, 50f, Duration.ofSeconds(10), 3);
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
