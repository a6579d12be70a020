package io.haddns.controller.notify;

import java.time.Duration;
import java.util.Optional;

/** What a receiver did with a message. */
public sealed interface DeliveryResult {
  /** Taken. */
  record Delivered() implements DeliveryResult {}

  /**
   * Not taken this time (no connection, timeout, 5xx, 429): try again, no sooner than {@code
   * retryAfter} when the receiver asked for it.
   */
  record Retry(String reason, Optional<Duration> retryAfter) implements DeliveryResult {}

  /** Refused for good (4xx, a rejected signature, a refused login): a dead letter, with why. */
  record Rejected(String reason) implements DeliveryResult {}
}
