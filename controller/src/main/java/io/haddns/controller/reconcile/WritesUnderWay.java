package io.haddns.controller.reconcile;

import java.util.concurrent.TimeUnit;

/**
 * Whether a zone's provider is being written right now, so that recording what was applied can let
 * those writes go first: on a small machine, ZooKeeper recording tens of thousands of records takes
 * the CPU that the DNS server needs to take the next UPDATEs of the same outage. Thread-safe.
 */
final class WritesUnderWay {
  private int writing;

  synchronized void begin() {
    writing++;
  }

  synchronized void end() {
    writing--;
    if (writing == 0) {
      notifyAll();
    }
  }

  /**
   * Waits while a write is under way, at most until {@link System#nanoTime()} reaches {@code
   * deadlineNanos}; returns at once, keeping the interrupt, when interrupted.
   */
  synchronized void awaitNone(long deadlineNanos) {
    while (writing > 0) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
