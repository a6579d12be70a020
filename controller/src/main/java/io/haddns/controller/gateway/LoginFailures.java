package io.haddns.controller.gateway;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;

/**
 * Failed logins (dyndns2, admin API), counted per key (a user name, a source as {@link
 * RateLimits#sourceKey}) in fixed windows of {@code window} on the injected clock. Only failures
 * count: a client that logs in correctly never uses up anything here, so nobody can lock a user out
 * by failing logins in its name from elsewhere (see {@link Dyndns2Updates}). The key space is
 * bounded like {@link RateLimits}': past {@code maxKeys} the least recently used key is forgotten.
 * Thread-safe.
 */
public final class LoginFailures {
  private final int maxFailures;
  private final long windowMillis;
  private final InstantSource clock;
  private final Map<String, Window> windows;

  private static final class Window {
    long start;
    int failures;
  }

  /**
   * @param maxFailures failures a key may have per window before it is over its limit
   */
  public LoginFailures(int maxFailures, Duration window, InstantSource clock) {
    this(maxFailures, window, clock, RateLimits.MAX_KEYS);
  }

  LoginFailures(int maxFailures, Duration window, InstantSource clock, int maxKeys) {
    this.maxFailures = maxFailures;
    this.windowMillis = window.toMillis();
    this.clock = clock;
    this.windows = RateLimits.leastRecentlyUsed(maxKeys);
  }

  /** Whether {@code key} has used up its failures in the current window. */
  public boolean overLimit(String key) {
    return failures(key) >= maxFailures;
  }

  /** Whether {@code key} failed at least once in the current window. */
  boolean failedRecently(String key) {
    return failures(key) > 0;
  }

  /** Counts one failed login against each of {@code keys}. */
  public void failed(String... keys) {
    long now = clock.millis();
    synchronized (windows) {
      for (String key : keys) {
        Window w = current(key, now, true);
        w.failures++;
      }
    }
  }

  private int failures(String key) {
    synchronized (windows) {
      Window w = current(key, clock.millis(), false);
      return w == null ? 0 : w.failures;
    }
  }

  private Window current(String key, long now, boolean create) {
    Window w = windows.get(key);
    if (w == null) {
      if (!create) {
        return null;
      }
      w = new Window();
      w.start = now;
      windows.put(key, w);
    } else if (now - w.start >= windowMillis) {
      w.start = now;
      w.failures = 0;
    }
    return w;
  }
}
