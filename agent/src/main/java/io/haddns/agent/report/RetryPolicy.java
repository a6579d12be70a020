package io.haddns.agent.report;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ControllerClient} retries: at most {@code maxAttempts} posts per report; after each
 * full pass over the endpoints it waits {@code initialBackoff · 2^pass}, capped at {@code
 * maxBackoff}, with jitter (a uniform pick in [½, 1] of that), or the server's Retry-After if
 * longer (still capped).
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be ≥ 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 ≤ initialBackoff ≤ maxBackoff, got "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /** The un-jittered wait after pass {@code pass} (0-based). */
  Duration backoff(int pass) {
    long factor = 1L << Math.min(pass, 30);
    Duration d = initialBackoff.multipliedBy(factor);
    return d.compareTo(maxBackoff) > 0 || d.isNegative() ? maxBackoff : d;
  }
}
