package io.haddns.controller.reconcile;

/**
 * Receives reconcile outcomes, e.g. for metrics. Called on the reconciler thread; must not block.
 */
public interface ReconcileObserver {
  ReconcileObserver NOOP = (zone, trigger, result) -> {};

  void reconciled(String zone, String trigger, ReconcileResult result);
}
