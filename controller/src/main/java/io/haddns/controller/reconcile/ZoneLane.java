package io.haddns.controller.reconcile;

import java.time.Duration;
import java.time.Instant;

/**
 * One zone's lane in the {@link Reconciler}: at most one reconcile of the zone runs at a time;
 * requests arriving meanwhile are merged into one that runs next; the zone's retry timer, its count
 * of consecutive failed attempts and the earliest time the backend allowed the next call.
 *
 * <p>Threading: every method is synchronized on the lane.
 */
final class ZoneLane {

  /**
   * What a reconcile should do.
   *
   * @param epoch the term it is for; it does not run when that term is not current
   * @param readBack read the provider back (drift repair) instead of trusting the applied view
   * @param newTerm forget the previous term's fence claim first
   * @param claimOnly claim the term's fence and stop there: nothing is planned or written besides
   * @param trigger what asked for it, for metrics
   */
  record Request(long epoch, boolean readBack, boolean newTerm, boolean claimOnly, String trigger) {

    Request(long epoch, boolean readBack, boolean newTerm, String trigger) {
      this(epoch, readBack, newTerm, false, trigger);
    }

    /** One request doing all that this one and {@code later} asked for, for the newer term. */
    Request merge(Request later) {
      return new Request(
          Math.max(epoch, later.epoch),
          readBack || later.readBack,
          newTerm || later.newTerm,
          claimOnly && later.claimOnly,
          later.newTerm ? later.trigger : trigger);
    }
  }

  /** What the caller of {@link #offer} must do. */
  enum Offer {
    /** Start a worker draining the lane. */
    START,
    /** Nothing: a running reconcile picks the request up when it ends. */
    QUEUED,
    /** Nothing now: the backend asked to wait; a timer runs the request when the wait is over. */
    HELD
  }

  private final ZoneReconciler zone;
  private Request pending;
  private boolean running;
  private int failedAttempts;
  private Instant notBefore = Instant.MIN;
  private ReconcileScheduling.Timer timer;

  ZoneLane(ZoneReconciler zone) {
    this.zone = zone;
  }

  ZoneReconciler zone() {
    return zone;
  }

  synchronized Offer offer(Request r, Instant now) {
    pending = pending == null ? r : pending.merge(r);
    if (running) {
      return Offer.QUEUED;
    }
    if (now.isBefore(notBefore)) {
      return Offer.HELD;
    }
    running = true;
    return Offer.START;
  }

  /**
   * The request to run next, or null when there is none or the backend's wait is not over: the lane
   * is then idle again.
   */
  synchronized Request next(Instant now) {
    if (pending == null || now.isBefore(notBefore)) {
      running = false;
      return null;
    }
    Request r = pending;
    pending = null;
    return r;
  }

  /** How long until the backend allows the next call; zero when it does now. */
  synchronized Duration heldFor(Instant now) {
    return now.isBefore(notBefore) ? Duration.between(now, notBefore) : Duration.ZERO;
  }

  /** True while a held request waits without a timer to wake it (the timer was called off). */
  synchronized boolean heldWithoutTimer(Instant now) {
    return !running && pending != null && now.isBefore(notBefore) && timer == null;
  }

  synchronized int failedAttempts() {
    return failedAttempts;
  }

  /** The zone reconciled without a transient failure: the retry chain ends. */
  synchronized void succeeded() {
    failedAttempts = 0;
    notBefore = Instant.MIN;
    cancelTimer();
  }

  /**
   * A transient failure: the next attempt is the {@code attempt}-th of the chain, and the zone is
   * not called before {@code notBefore}.
   */
  synchronized void failed(int attempt, Instant notBefore) {
    failedAttempts = attempt;
    this.notBefore = notBefore;
  }

  /**
   * Runs {@code onFire} after {@code after}, replacing the lane's timer: only the newest outcome
   * decides when the zone runs again, and a replaced timer that already started does nothing.
   */
  synchronized void arm(ReconcileScheduling scheduling, Duration after, Runnable onFire) {
    cancelTimer();
    ReconcileScheduling.Timer[] self = new ReconcileScheduling.Timer[1];
    // The task takes the lane's lock before it looks at self, so it sees the timer stored below.
    self[0] =
        scheduling.schedule(
            () -> {
              if (fired(self[0])) {
                onFire.run();
              }
            },
            after);
    timer = self[0];
  }

  private synchronized boolean fired(ReconcileScheduling.Timer t) {
    if (timer != t) {
      return false;
    }
    timer = null;
    return true;
  }

  /** The term ended or a new one begins: no retry chain carries over, queued work is dropped. */
  synchronized void reset(boolean dropPending) {
    failedAttempts = 0;
    cancelTimer();
    if (dropPending) {
      pending = null;
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
