package io.haddns.controller.election;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The leader's side of the lease: how long ago it sent the last renewal that ZooKeeper confirmed,
 * on an injected monotonic ticker. A follower counts a lease's age from when it <em>saw</em> that
 * renewal, which is after the leader sent it, so a leader that gives up once its own count reaches
 * {@code limit} gives up no later than any follower can judge it dead (docs/architecture.md, "Fast
 * takeover"). Thread-safe.
 */
final class LeaseHold {
  private final Duration limit;
  private final LongSupplier ticker;
  private long confirmedSentAt;
  private boolean held;

  LeaseHold(Duration limit, LongSupplier ticker) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** A term has begun now: it counts as a confirmed renewal. */
  synchronized void begin() {
    confirmedSentAt = ticker.getAsLong();
    held = true;
  }

  synchronized void end() {
    held = false;
  }

  /** The ticker reading to pass to {@link #confirmed} once the renewal sent now is confirmed. */
  long now() {
    return ticker.getAsLong();
  }

  /** ZooKeeper confirmed the renewal sent at {@code sentAt}. */
  synchronized void confirmed(long sentAt) {
    if (held && sentAt - confirmedSentAt > 0) {
      confirmedSentAt = sentAt;
    }
  }

  /** How long ago the last confirmed renewal was sent, while held and past the limit. */
  synchronized Duration overdue() {
    if (!held) {
      return Duration.ZERO;
    }
    long age = ticker.getAsLong() - confirmedSentAt;
    return age >= limit.toNanos() ? Duration.ofNanos(age) : Duration.ZERO;
  }
}
