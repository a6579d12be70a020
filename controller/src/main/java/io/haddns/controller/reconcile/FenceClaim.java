package io.haddns.controller.reconcile;

import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A zone's fence claim: the term claims the provider's fence before its first write and, on a
 * backend that cannot fence a stale leader's write, first waits {@code unfencedGuard} (the previous
 * leader's last call is bounded by its time limit) — docs/architecture.md, "Fencing". Confined to
 * the zone's reconciling thread.
 */
final class FenceClaim {
  // Logs as the zone's reconciler: operators follow one zone's reconcile under one logger name.
  private static final Logger log = LoggerFactory.getLogger(ZoneReconciler.class);

  private final String zone;
  private final DnsProvider provider;
  private final InstantSource clock;
  private final Duration unfencedGuard;
  private long claimedEpoch;
  private long guardEpoch;
  private Instant guardUntil = Instant.MIN;

  FenceClaim(String zone, DnsProvider provider, InstantSource clock, Duration unfencedGuard) {
    this.zone = zone;
    this.provider = provider;
    this.clock = clock;
    this.unfencedGuard = unfencedGuard;
  }

  boolean isClaimed(long epoch) {
    return claimedEpoch == epoch;
  }

  /** How long the term's first write must still wait; zero for backends that fence. */
  Duration guardLeft(long epoch) {
    if (provider.fencesWrites() || unfencedGuard.isZero()) {
      return Duration.ZERO;
    }
    if (guardEpoch != epoch) {
      guardEpoch = epoch;
      guardUntil = clock.instant().plus(unfencedGuard);
      log.info(
          "zone={} first write of epoch={} waits {}ms: the backend cannot fence a previous"
              + " leader's last call",
          zone,
          epoch,
          unfencedGuard.toMillis());
    }
    Duration left = Duration.between(clock.instant(), guardUntil);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Claims the provider's fence for {@code epoch}. */
  void claim(long epoch) throws ProviderException {
    provider.claim(epoch);
    claimedEpoch = epoch;
    if (provider.fencesWrites()) {
      log.info("zone={} fence claimed epoch={}", zone, epoch);
    } else {
      log.info("zone={} writes begin epoch={} (the backend cannot fence)", zone, epoch);
    }
  }

  /** Forgets the claim, so that the next term claims again. */
  void reset() {
    claimedEpoch = 0;
  }
}
