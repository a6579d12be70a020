package io.haddns.controller.reconcile;

import java.time.Duration;
import java.util.Objects;

/** The outcome of reconciling one zone once. */
public sealed interface ReconcileResult {

  /** Desired and current state agree: nothing was written. */
  record NoChanges() implements ReconcileResult {}

  /** Changes were written to the provider and recorded in the cluster state. */
  record Applied(int creates, int updates, int deletes, Duration took) implements ReconcileResult {}

  /** Dry run: these changes would have been written; nothing was. */
  record Planned(int creates, int updates, int deletes) implements ReconcileResult {}

  /**
   * Not yet time to write (a new term waits out the last possible write of the previous leader to a
   * backend that cannot fence, or the term is in doubt while its lease renewal is late): reconciled
   * again, with a read-back, after {@code after}. Not a failure.
   */
  record Deferred(Duration after, String reason) implements ReconcileResult {}

  /**
   * A transient failure: the zone is reconciled again after {@code after}.
   *
   * @param backendWait how long the backend itself asked to be left alone ({@code Retry-After}, a
   *     documented throttling delay); zero when it did not say. No trigger runs the zone sooner.
   */
  record RetryAfter(Duration after, String reason, Duration backendWait)
      implements ReconcileResult {
    public RetryAfter {
      Objects.requireNonNull(after, "after");
      Objects.requireNonNull(backendWait, "backendWait");
    }

    /** The backend did not say how long to wait. */
    public RetryAfter(Duration after, String reason) {
      this(after, reason, Duration.ZERO);
    }
  }

  /**
   * The zone's writes are paused by an operator: nothing was read, planned or written. Its resume
   * reconciles it again with a read-back.
   */
  record Paused(String reason) implements ReconcileResult {}

  /** A permanent failure: surfaced, and tried again only at the next resync. */
  record Failed(String reason) implements ReconcileResult {}

  /** This node's term is over (fenced, or leadership lost): it must stop writing. */
  record NotLeader(String reason) implements ReconcileResult {}

  static ReconcileResult noChanges() {
    return new NoChanges();
  }
}
