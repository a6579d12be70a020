/**
 * Making each zone's DNS match the plan while this node leads: {@link
 * io.haddns.controller.reconcile.ZoneReconciler} reconciles one zone once (claim the fence, read
 * back, plan, apply, record what was applied), {@link io.haddns.controller.reconcile.Reconciler}
 * schedules them: event-driven, periodic resync, retries with backoff and jitter, one lane per
 * zone.
 *
 * <p>Every write goes through a provider and the store with the current term's epoch ({@link
 * io.haddns.controller.reconcile.LeaderTerm}), so a node that lost leadership stops at once. Time
 * and scheduling come through {@link io.haddns.controller.reconcile.ReconcileScheduling}, so tests
 * never sleep; outcomes leave through observers, so no metrics library is needed here.
 */
package io.haddns.controller.reconcile;
