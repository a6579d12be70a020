package io.haddns.controller.election;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The leader's side of the lease: how long ago it sent the last renewal that ZooKeeper confirmed,
 * on an injected monotonic ticker, and whether the term is in doubt. A follower counts a lease's
 * age from when it <em>saw</em> that renewal, which is after the leader sent it, so a leader that
 * stops writing once its own count reaches {@code limit} stops no later than any follower can judge
 * it dead (docs/architecture.md, "Fast takeover"). A term in doubt ends its doubt with the first
 * renewal confirmed within the limit again. Thread-safe.
 */
final class LeaseHold {
  private final Duration limit;
  private final LongSupplier ticker;
  private long confirmedSentAt;
  private boolean held;
  private boolean doubted;

  LeaseHold(Duration limit, LongSupplier ticker) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** A term has begun now: it counts as a confirmed renewal. */
  synchronized void begin() {
    confirmedSentAt = ticker.getAsLong();
    held = true;
    doubted = false;
  }

  synchronized void end() {
    held = false;
    doubted = false;
  }

  /** The ticker reading to pass to {@link #confirmed} once the renewal sent now is confirmed. */
  long now() {
    return ticker.getAsLong();
  }

  /**
   * ZooKeeper confirmed the renewal sent at {@code sentAt}.
   *
   * @return true when this ends a doubt: the term is held and no longer overdue
   */
  synchronized boolean confirmed(long sentAt) {
    if (held && sentAt - confirmedSentAt > 0) {
      confirmedSentAt = sentAt;
    }
    if (doubted && held && age() < limit.toNanos()) {
      doubted = false;
      return true;
    }
    return false;
  }

  /** How long ago the last confirmed renewal was sent, while held and past the limit. */
  synchronized Duration overdue() {
    if (!held) {
      return Duration.ZERO;
    }
    long age = age();
    return age >= limit.toNanos() ? Duration.ofNanos(age) : Duration.ZERO;
  }

  /**
   * Puts a held, overdue term in doubt.
   *
   * @return true if it was not in doubt before
   */
  synchronized boolean doubt() {
    if (!held || doubted || age() < limit.toNanos()) {
      return false;
    }
    doubted = true;
    return true;
  }

  /** The term is held and in doubt. */
  synchronized boolean inDoubt() {
    return held && doubted;
  }

  private long age() {
    return ticker.getAsLong() - confirmedSentAt;
  }
}
