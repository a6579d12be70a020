package io.haddns.controller.reconcile;

/**
 * Receives reconcile outcomes, e.g. for metrics. Called on the reconciler's worker threads, for
 * different zones concurrently (one zone's calls never overlap); must not block.
 */
public interface ReconcileObserver {
  ReconcileObserver NOOP = (zone, trigger, result) -> {};

  void reconciled(String zone, String trigger, ReconcileResult result);

  /**
   * After each reconcile: how many attempts in a row have failed transiently and are being retried
   * (0 once the zone reconciled, or the chain was dropped with the term).
   */
  default void retryState(String zone, int failedAttempts) {}
}
