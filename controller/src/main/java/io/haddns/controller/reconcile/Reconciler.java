package io.haddns.controller.reconcile;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the {@link ZoneReconciler}s of a leader: event-driven reconciles (coalesced), a periodic
 * resync that reads every zone back, and retries with exponential backoff and jitter after
 * transient failures until the zone is applied or superseded by a newer plan.
 *
 * <p>Threading: all reconciling runs on one internal thread; the public methods only enqueue and
 * are safe from any thread. Lifecycle: {@link #start()} once, {@link #close()} once.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final List<ZoneReconciler> zones;
  private final LeaderTerm term;
  private final Duration resyncInterval;
  private final IntervalFunction backoff;
  private final ReconcileObserver observer;
  private final Consumer<String> onTermLost;
  private final AtomicBoolean triggered = new AtomicBoolean();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> retries = new HashMap<>();
  private ScheduledExecutorService executor;

  /**
   * @param onTermLost told (on the reconciler thread) when a write found the term over: fenced at
   *     the DNS server or refused by the epoch check in ZooKeeper
   */
  public Reconciler(
      List<ZoneReconciler> zones,
      LeaderTerm term,
      Duration resyncInterval,
      ReconcileObserver observer,
      Consumer<String> onTermLost) {
    this.zones = List.copyOf(zones);
    this.term = term;
    this.resyncInterval = resyncInterval;
    this.backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5);
    this.observer = observer;
    this.onTermLost = onTermLost;
  }

  public void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "haddns-reconciler");
              t.setDaemon(true);
              return t;
            });
    long period = resyncInterval.toMillis();
    executor.scheduleWithFixedDelay(
        () -> runAll(term.epoch(), true, "resync"), period, period, TimeUnit.MILLISECONDS);
  }

  /** A new term began: claim every zone's fence and reconcile with a full read-back. */
  public void beginTerm(long epoch) {
    executor.execute(
        () -> {
          cancelRetries();
          zones.forEach(ZoneReconciler::resetClaim);
          runAll(epoch, true, "term-start");
        });
  }

  /** The term ended: pending retries are dropped; nothing is written until the next term. */
  public void endTerm() {
    if (executor != null) {
      executor.execute(this::cancelRetries);
    }
  }

  /** Something changed (health, address, config): reconcile soon, coalescing bursts. */
  public void trigger(String reason) {
    if (executor == null || !triggered.compareAndSet(false, true)) {
      return;
    }
    executor.execute(
        () -> {
          triggered.set(false);
          runAll(term.epoch(), false, reason);
        });
  }

  private void runAll(long epoch, boolean readBack, String trigger) {
    if (epoch == 0) {
      return;
    }
    for (ZoneReconciler zone : zones) {
      if (!run(zone, epoch, readBack, trigger)) {
        return;
      }
    }
  }

  /** Returns false when the term is over and nothing more may be written. */
  private boolean run(ZoneReconciler zone, long epoch, boolean readBack, String trigger) {
    int attempt = attempts.getOrDefault(zone.zone(), 0) + 1;
    Duration delay = Duration.ofMillis(Math.min(backoff.apply(attempt), 30_000L));
    ReconcileResult result;
    try {
      result = zone.reconcile(epoch, readBack, delay);
    } catch (RuntimeException e) {
      log.error("zone={} reconcile failed unexpectedly", zone.zone(), e);
      result = new ReconcileResult.RetryAfter(delay, String.valueOf(e));
    }
    observer.reconciled(zone.zone(), trigger, result);
    switch (result) {
      case ReconcileResult.NoChanges n -> succeeded(zone);
      case ReconcileResult.Applied a -> succeeded(zone);
      case ReconcileResult.Failed f -> succeeded(zone);
      case ReconcileResult.Planned p -> succeeded(zone);
      case ReconcileResult.Deferred d -> scheduleRetry(zone, epoch, d.after());
      case ReconcileResult.RetryAfter r -> {
        attempts.put(zone.zone(), attempt);
        scheduleRetry(zone, epoch, r.after());
      }
      case ReconcileResult.NotLeader nl -> {
        if (term.isCurrent(epoch)) {
          onTermLost.accept(nl.reason());
        }
        return false;
      }
    }
    return true;
  }

  private void succeeded(ZoneReconciler zone) {
    attempts.remove(zone.zone());
    ScheduledFuture<?> f = retries.remove(zone.zone());
    if (f != null) {
      f.cancel(false);
    }
  }

  private void scheduleRetry(ZoneReconciler zone, long epoch, Duration after) {
    ScheduledFuture<?> old = retries.get(zone.zone());
    if (old != null && !old.isDone()) {
      return;
    }
    retries.put(
        zone.zone(),
        executor.schedule(
            () -> {
              retries.remove(zone.zone());
              if (term.isCurrent(epoch)) {
                run(zone, epoch, true, "retry");
              }
            },
            after.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  private void cancelRetries() {
    retries.values().forEach(f -> f.cancel(false));
    retries.clear();
    attempts.clear();
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("reconciler did not stop within 5s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
