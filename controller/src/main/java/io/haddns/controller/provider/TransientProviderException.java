package io.haddns.controller.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Timeouts, refused connections, SERVFAIL, rate limits: retry with backoff. When the backend said
 * how long to wait (an HTTP {@code Retry-After}, a documented throttling delay), {@link
 * #retryAfter()} carries it and the retry waits at least that long.
 */
public final class TransientProviderException extends ProviderException {
  private final transient Optional<Duration> retryAfter;

  public TransientProviderException(String message, Throwable cause) {
    this(message, cause, Optional.empty());
  }

  public TransientProviderException(String message) {
    this(message, null, Optional.empty());
  }

  public TransientProviderException(
      String message, Throwable cause, Optional<Duration> retryAfter) {
    super(message, cause);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** How long the backend asked to wait before the next call, when it said. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
