package io.haddns.controller.gateway;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key request limits (one Resilience4j {@link RateLimiter} per source address or credential),
 * never waiting: a request over the limit is refused at once. The key space is bounded: past
 * {@value #MAX_KEYS} keys the table is cleared, which at worst grants a burst of fresh permits.
 * Thread-safe.
 */
final class RateLimits {
  static final int MAX_KEYS = 10_000;

  private final String name;
  private final RateLimiterConfig config;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * @param permits requests allowed per {@code period} for each key
   */
  RateLimits(String name, int permits, Duration period) {
    this.name = name;
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(permits)
            .limitRefreshPeriod(period)
            .timeoutDuration(Duration.ZERO)
            .build();
  }

  /** Takes one permit for {@code key}; false when its limit is used up. */
  boolean tryAcquire(String key) {
    if (limiters.size() >= MAX_KEYS && !limiters.containsKey(key)) {
      limiters.clear();
    }
    return limiters
        .computeIfAbsent(key, k -> RateLimiter.of(name + ":" + k, config))
        .acquirePermission();
  }
}
