package io.haddns.controller.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ResilientDnsProvider} guards one provider. The breaker counts calls, not time: a zone
 * sees a few calls per minute, so a time-based window would rarely hold enough calls to decide.
 *
 * @param timeLimit longest a single write ({@code claim}, {@code apply}) may take; keep it under a
 *     third of the ZooKeeper session timeout so a stale leader's last write ends before a new
 *     leader may start writing
 * @param readTimeLimit longest a single {@code list} may take. Reads write nothing, so they need no
 *     fencing window; the limit only keeps a hung read from holding the zone forever, and must let
 *     a large zone be read back page by page at the API's request rate (each request is bounded by
 *     the backend's own {@code timeout} besides)
 * @param slidingWindowSize how many recent calls the failure rate is computed over
 * @param minimumNumberOfCalls calls needed in the window before the breaker may open
 * @param failureRatePercent share of transient failures (0–100] that opens the breaker
 * @param waitInOpenState how long an open breaker rejects calls before trying again
 * @param permittedCallsInHalfOpen trial calls that decide whether to close or reopen
 */
public record ResilienceSettings(
    Duration timeLimit,
    Duration readTimeLimit,
    int slidingWindowSize,
    int minimumNumberOfCalls,
    float failureRatePercent,
    Duration waitInOpenState,
    int permittedCallsInHalfOpen) {

  /**
   * Two minutes: a 100,000-record zone reads back within it on every backend at its documented rate
   * (Route 53: 334 pages of 300 at 5 requests/s take 67 s; Cloudflare: 100 pages of 1,000).
   */
  public static final Duration DEFAULT_READ_TIME_LIMIT = Duration.ofMinutes(2);

  public ResilienceSettings {
    requirePositive("timeLimit", timeLimit);
    requirePositive("readTimeLimit", readTimeLimit);
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
   * failed transiently, stays open 10 s, then lets 3 trial calls through. Reads get {@link
   * #DEFAULT_READ_TIME_LIMIT}, or {@code timeLimit} when that is longer.
   */
  public static ResilienceSettings defaults(Duration timeLimit) {
    Duration read =
        timeLimit.compareTo(DEFAULT_READ_TIME_LIMIT) > 0 ? timeLimit : DEFAULT_READ_TIME_LIMIT;
    return new ResilienceSettings(timeLimit, read, 10, 5, 50f, Duration.ofSeconds(10), 3);
  }

  /** These settings with reads limited to {@code limit}. */
  public ResilienceSettings withReadTimeLimit(Duration limit) {
    return new ResilienceSettings(
        timeLimit,
        limit,
        slidingWindowSize,
        minimumNumberOfCalls,
        failureRatePercent,
        waitInOpenState,
        permittedCallsInHalfOpen);
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
