package io.haddns.controller.provider.alidns;

import java.time.Duration;
import java.time.InstantSource;

/**
 * Spaces API requests evenly so that no window of one second holds more than {@code perSecond} of
 * them. Alibaba Cloud DNS throttles per account ({@code Throttling.User}) without publishing a QPS
 * figure for the record actions, so the rate is configuration ({@code requestsPerSecond}).
 *
 * <p>Threading: safe for concurrent callers; {@link #acquire()} blocks the caller until its turn.
 */
final class RequestPacer {
  /** Waits; a seam so unit tests never sleep. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final long intervalNanos;
  private final InstantSource clock;
  private final Sleeper sleeper;
  private long nextAllowedNanos = Long.MIN_VALUE;

  RequestPacer(int perSecond, InstantSource clock, Sleeper sleeper) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("requests per second must be at least 1: " + perSecond);
    }
    // A fixed spacing (no burst) keeps every sliding one-second window in bounds; 5% on top
    // absorbs jitter between us and the server's counter.
    this.intervalNanos = 1_050_000_000L / perSecond;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  static RequestPacer realTime(int perSecond, InstantSource clock) {
    return new RequestPacer(perSecond, clock, d -> Thread.sleep(d));
  }

  /** Blocks until the next request may go out, then counts it as sent. */
  void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      java.time.Instant now = clock.instant();
      long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
      long slot = Math.max(nowNanos, nextAllowedNanos);
      nextAllowedNanos = slot + intervalNanos;
      wait = slot - nowNanos;
    }
    if (wait > 0) {
      sleeper.sleep(Duration.ofNanos(wait));
    }
  }
}
