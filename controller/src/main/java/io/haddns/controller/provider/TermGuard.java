package io.haddns.controller.provider;

import java.util.function.LongSupplier;

/**
 * Checks, right before each write to a backend without conditional writes, that the writer's epoch
 * is still the cluster's term (docs/architecture.md, "Fencing": narrowing, not fencing). Must not
 * block for long: it is called once per HTTP request.
 */
@FunctionalInterface
public interface TermGuard {
  /** Lets every epoch write; for tests and single-node use. */
  TermGuard NONE = epoch -> {};

  /**
   * Refuses an epoch older than {@code currentEpoch} (the node's view of the cluster's term, e.g.
   * {@code StateStore::currentEpoch}); the view may lag this node's own new term, so only an older
   * epoch is stale.
   */
  static TermGuard behind(String zone, LongSupplier currentEpoch) {
    return epoch -> {
      long current = currentEpoch.getAsLong();
      if (epoch < current) {
        throw new FencedException(
            "zone " + zone + ": epoch " + epoch + " is stale, the cluster is at epoch " + current);
      }
    };
  }

  /**
   * @throws FencedException if a newer term than {@code epoch} is known
   */
  void check(long epoch) throws FencedException;
}
