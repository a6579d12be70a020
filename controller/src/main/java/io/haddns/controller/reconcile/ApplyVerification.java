package io.haddns.controller.reconcile;

import io.haddns.controller.plan.Change;
import java.time.Instant;
import java.util.List;

/**
 * Told of every successful apply, to check that the zone's authoritative servers answer the new
 * values. Called on the reconciler's worker threads, for different zones concurrently:
 * implementations must be thread-safe, return at once and do their work elsewhere.
 */
@FunctionalInterface
public interface ApplyVerification {
  ApplyVerification NONE = (zone, changes, appliedAt) -> {};

  /**
   * @param changes the changes the provider accepted
   * @param appliedAt when the apply was sent
   */
  void applied(String zone, List<Change> changes, Instant appliedAt);
}
