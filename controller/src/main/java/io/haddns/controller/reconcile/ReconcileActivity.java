package io.haddns.controller.reconcile;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a zone is being reconciled (planned or written), so that recording what was applied can
 * wait for a pause in its reconciles ({@link RecordingPause}; docs/architecture.md, "recording what
 * was applied"). Thread-safe.
 */
final class ReconcileActivity {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int reconciling;
  private int hurried;
  private long lastEnded;
  private boolean ended;

  /** A reconcile begins. */
  void begin() {
    lock.lock();
    try {
      reconciling++;
    } finally {
      lock.unlock();
    }
  }

  /** A reconcile ended, whatever its outcome. */
  void end() {
    lock.lock();
    try {
      reconciling--;
      lastEnded = System.nanoTime();
      ended = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Until the matching {@link #unhurry()}, {@link #await} returns at once: a reconcile that needs
   * the recordings done (a claim before a create, a read-back) must not wait out the pause it is
   * itself the cause of.
   */
  void hurry() {
    lock.lock();
    try {
      hurried++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Ends one {@link #hurry()}. */
  void unhurry() {
    lock.lock();
    try {
      hurried--;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until no reconcile has been under way for {@code quiet}, for {@code atMost} in all, or
   * until hurried.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  void await(Duration quiet, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    lock.lock();
    try {
      while (hurried == 0) {
        long now = System.nanoTime();
        long until = deadline;
        if (reconciling == 0) {
          if (!ended) {
            return;
          }
          long quietAt = lastEnded + quiet.toNanos();
          if (quietAt - deadline < 0) {
            until = quietAt;
          }
        }
        long wait = until - now;
        if (wait <= 0) {
          return;
        }
        changed.await(wait, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }
}
