package io.haddns.controller.gateway;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.haddns.controller.netty.SourceKey;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-key request limits (one Resilience4j {@link RateLimiter} per source, agent or dyndns2 user),
 * never waiting: a request over the limit is refused at once. The key space is bounded: past {@code
 * maxKeys} keys the least recently used key is forgotten (at worst it starts again with fresh
 * permits), so a flood of new keys never resets the limits of the others. Thread-safe.
 */
final class RateLimits {
  static final int MAX_KEYS = 10_000;

  private final String name;
  private final RateLimiterConfig config;
  private final Map<String, RateLimiter> limiters;

  /**
   * @param permits requests allowed per {@code period} for each key
   */
  RateLimits(String name, int permits, Duration period) {
    this(name, permits, period, MAX_KEYS);
  }

  RateLimits(String name, int permits, Duration period, int maxKeys) {
    this.name = name;
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(permits)
            .limitRefreshPeriod(period)
            .timeoutDuration(Duration.ZERO)
            .build();
    this.limiters = leastRecentlyUsed(maxKeys);
  }

  /** A map that forgets its least recently used key past {@code maxKeys}; not thread-safe. */
  static <V> Map<String, V> leastRecentlyUsed(int maxKeys) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /** Takes one permit for {@code key}; false when its limit is used up. */
  boolean tryAcquire(String key) {
    RateLimiter limiter;
    synchronized (limiters) {
      limiter = limiters.computeIfAbsent(key, k -> RateLimiter.of(name + ":" + k, config));
    }
    return limiter.acquirePermission();
  }

  /** Takes one permit for the source {@code address}: IPv4 per address, IPv6 per /64. */
  boolean tryAcquire(InetAddress address) {
    return tryAcquire(sourceKey(address));
  }

  int keys() {
    synchronized (limiters) {
      return limiters.size();
    }
  }

  /**
   * The unit a source is limited by: an IPv4 address, or an IPv6 /64 (one subscriber's prefix:
   * counting per address would give each host of a /64, and an attacker rotating through it, its
   * own limit).
   */
  static String sourceKey(InetAddress address) {
    return SourceKey.of(address);
  }
}
