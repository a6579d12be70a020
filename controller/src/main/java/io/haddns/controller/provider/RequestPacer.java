package io.haddns.controller.provider;

import java.time.Duration;
import java.time.InstantSource;

/**
 * Spaces API requests so that no window of one second holds more than {@code perSecond} of them, to
 * stay under a provider's documented request rate (Route 53: five per second per account).
 *
 * <p>Threading: safe for concurrent callers; {@link #acquire()} blocks the caller until its turn.
 */
public final class RequestPacer {
  /** Waits; a seam so tests never sleep. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Duration interval;
  private final InstantSource clock;
  private final Sleeper sleeper;
  private long nextAllowedMillis = Long.MIN_VALUE;

  public RequestPacer(int perSecond, InstantSource clock, Sleeper sleeper) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("requests per second must be at least 1: " + perSecond);
    }
    // A fixed spacing (not a bucket with a burst) keeps every sliding one-second window in bounds;
    // 5% more than the bare 1/perSecond absorbs network jitter between us and the provider's
    // counter.
    this.interval = Duration.ofMillis((1050 + perSecond - 1) / perSecond);
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** The spacing between two requests. */
  Duration interval() {
    return interval;
  }

  public static RequestPacer realTime(int perSecond) {
    return new RequestPacer(perSecond, InstantSource.system(), d -> Thread.sleep(d.toMillis()));
  }

  /** Blocks until the next request may go out, then counts it as sent. */
  public void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = clock.millis();
      long slot = Math.max(now, nextAllowedMillis);
      nextAllowedMillis = slot + interval.toMillis();
      wait = slot - now;
    }
    if (wait > 0) {
      sleeper.sleep(Duration.ofMillis(wait));
    }
  }
}
