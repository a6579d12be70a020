package io.haddns.controller.reconcile;

/**
 * The epoch this node currently leads with, or none. Writers check it right before every write so
 * that a node that lost (or doubts) leadership stops at once. Thread-safe.
 */
public final class LeaderTerm {
  private volatile long epoch;

  public void begin(long epoch) {
    if (epoch <= 0) {
      throw new IllegalArgumentException("epoch must be positive, was " + epoch);
    }
    this.epoch = epoch;
  }

  public void end() {
    epoch = 0;
  }

  /** The current epoch, or 0 when not leading. */
  public long epoch() {
    return epoch;
  }

  public boolean isCurrent(long epoch) {
    return epoch != 0 && this.epoch == epoch;
  }
}
