package io.haddns.controller.reconcile;

/**
 * The epoch this node currently leads with, or none, and whether that term is in doubt. Writers
 * check {@link #mayWrite} right before every write so that a node that lost or doubts leadership
 * stops at once: a term in doubt (its lease renewal not yet confirmed, docs/architecture.md, "Fast
 * takeover") is kept but writes nothing until it is confirmed or ends. Thread-safe.
 */
public final class LeaderTerm {
  private volatile long epoch;
  private volatile long doubted;

  public synchronized void begin(long epoch) {
    if (epoch <= 0) {
      throw new IllegalArgumentException("epoch must be positive, was " + epoch);
    }
    this.doubted = 0;
    this.epoch = epoch;
  }

  public synchronized void end() {
    epoch = 0;
    doubted = 0;
  }

  /** Term {@code epoch}, if current, is in doubt: no writes until {@link #confirm}. */
  public synchronized void doubt(long epoch) {
    if (isCurrent(epoch)) {
      doubted = epoch;
    }
  }

  /** Term {@code epoch}'s doubt is over; true if it was in doubt. */
  public synchronized boolean confirm(long epoch) {
    if (epoch != 0 && doubted == epoch) {
      doubted = 0;
      return true;
    }
    return false;
  }

  /** The current epoch, or 0 when not leading. */
  public long epoch() {
    return epoch;
  }

  /** This node holds term {@code epoch} (in doubt or not). */
  public boolean isCurrent(long epoch) {
    return epoch != 0 && this.epoch == epoch;
  }

  /** This node holds term {@code epoch} and does not doubt it: it may write. */
  public boolean mayWrite(long epoch) {
    return isCurrent(epoch) && doubted != epoch;
  }

  /** The current term is in doubt. */
  public boolean inDoubt() {
    long e = epoch;
    return e != 0 && doubted == e;
  }
}
