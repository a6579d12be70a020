package io.haddns.controller.reconcile;

import io.github.resilience4j.core.IntervalFunction;
import io.haddns.controller.reconcile.ZoneLane.Request;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Drives the {@link ZoneReconciler}s of a leader: event-driven reconciles (coalesced), a periodic
 * resync that reads every zone back, and retries with exponential backoff and jitter after
 * transient failures until the zone is applied or superseded by a newer plan.
 *
 * <p>Zones reconcile concurrently, on a pool of at most {@link #MAX_PARALLEL_ZONES} threads, so a
 * slow or hanging backend (a long read-back, a call running into its time limit, Route 53 waiting
 * for INSYNC) delays only its own zone. Each zone is strictly serial with itself: while it runs,
 * new requests for it are merged into one that runs when it ends.
 *
 * <p>Retries: a transient failure schedules the zone again after the backoff of its attempt count
 * ({@link IntervalFunction#ofExponentialRandomBackoff}: 200 ms doubling, ±50 % jitter, at most 30
 * s), or after the wait the backend asked for ({@code Retry-After}) when that is longer. A trigger
 * (a line went down, an address changed) runs the zone at once, superseding a backoff wait with the
 * newer plan, but never before the backend's own wait is over: such a trigger is held and runs when
 * it is. The retry chain ends only when the zone reconciles without a transient failure, or with
 * the term. The loop is this class's rather than a Resilience4j {@code Retry}'s: a {@code Retry}
 * re-sends one call from a thread it keeps blocked while it waits, so the zone could take no newer
 * plan meanwhile, could not stop with the term, and would give up after its last attempt.
 *
 * <p>Threading: the public methods only enqueue and are safe from any thread. The observer and
 * {@code onTermLost} are called on the worker threads, for different zones concurrently. Lifecycle:
 * {@link #start()} once, {@link #close()} once.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /** The most zones reconciling at the same time. */
  public static final int MAX_PARALLEL_ZONES = 8;

  private static final long MAX_BACKOFF_MILLIS = 30_000L;

  private final List<ZoneLane> lanes;
  private final LeaderTerm term;
  private final Duration resyncInterval;
  private final IntervalFunction backoff;
  private final ReconcileObserver observer;
  private final Consumer<String> onTermLost;
  private final InstantSource clock;
  private final Supplier<ReconcileScheduling> schedulingFactory;
  private final AtomicLong termLostReported = new AtomicLong();
  private volatile ReconcileScheduling scheduling;

  /**
   * @param onTermLost told once per term when a write found the term over: fenced at the DNS server
   *     or refused by the epoch check in ZooKeeper
   */
  public Reconciler(
      List<ZoneReconciler> zones,
      LeaderTerm term,
      Duration resyncInterval,
      ReconcileObserver observer,
      Consumer<String> onTermLost) {
    this(
        zones,
        term,
        resyncInterval,
        observer,
        onTermLost,
        InstantSource.system(),
        () -> ReconcileScheduling.pooled(Math.max(1, Math.min(zones.size(), MAX_PARALLEL_ZONES))));
  }

  /** With the clock and the threads (timers included) given; tests. */
  Reconciler(
      List<ZoneReconciler> zones,
      LeaderTerm term,
      Duration resyncInterval,
      ReconcileObserver observer,
      Consumer<String> onTermLost,
      InstantSource clock,
      Supplier<ReconcileScheduling> scheduling) {
    this.lanes = zones.stream().map(ZoneLane::new).toList();
    this.term = term;
    this.resyncInterval = resyncInterval;
    this.backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5);
    this.observer = observer;
    this.onTermLost = onTermLost;
    this.clock = clock;
    this.schedulingFactory = scheduling;
  }

  public void start() {
    // Its first call loads and links its classes (6-18 ms measured on 2 cores): paid here, on every
    // node, instead of by the first claim of a term after a takeover.
    backoff.apply(1);
    scheduling = schedulingFactory.get();
    scheduleResync();
  }

  private void scheduleResync() {
    scheduling.schedule(
        () -> {
          submitAll(term.epoch(), true, false, "resync");
          scheduleResync();
        },
        resyncInterval);
  }

  /**
   * A new term began: every zone claims its fence at once and does nothing else yet, so the term's
   * first write at each server does not wait for the rest of the term's start
   * (docs/architecture.md, "Fast takeover"). {@link #beginTerm} follows when the leader's inputs
   * are ready.
   */
  public void claimFences(long epoch) {
    if (epoch == 0 || scheduling == null) {
      return;
    }
    for (ZoneLane lane : lanes) {
      lane.reset(false);
      submit(lane, new Request(epoch, false, true, true, "term-start"));
    }
  }

  /** A new term began: claim every zone's fence and reconcile with a full read-back. */
  public void beginTerm(long epoch) {
    for (ZoneLane lane : lanes) {
      lane.reset(false);
    }
    submitAll(epoch, true, true, "term-start");
  }

  /** The term ended: pending retries are dropped; nothing is written until the next term. */
  public void endTerm() {
    for (ZoneLane lane : lanes) {
      lane.reset(true);
    }
  }

  /** Something changed (health, address, config): reconcile soon, coalescing bursts. */
  public void trigger(String reason) {
    submitAll(term.epoch(), false, false, reason);
  }

  /**
   * Reconciles {@code zone} with a read-back of its provider (drift repaired), as the periodic
   * resync does: an operator's resume catches up at once.
   */
  public void resync(String zone, String reason) {
    long epoch = term.epoch();
    if (epoch == 0 || scheduling == null) {
      return;
    }
    for (ZoneLane lane : lanes) {
      if (lane.zone().zone().equals(zone)) {
        submit(lane, new Request(epoch, true, false, reason));
      }
    }
  }

  private void submitAll(long epoch, boolean readBack, boolean newTerm, String trigger) {
    if (epoch == 0 || scheduling == null) {
      return;
    }
    for (ZoneLane lane : lanes) {
      submit(lane, new Request(epoch, readBack, newTerm, trigger));
    }
  }

  private void submit(ZoneLane lane, Request r) {
    Instant now = clock.instant();
    switch (lane.offer(r, now)) {
      case START -> scheduling.execute(() -> drain(lane));
      case QUEUED -> {}
      case HELD -> {
        if (lane.heldWithoutTimer(now)) {
          wakeLater(lane, r.epoch(), lane.heldFor(now), true);
        }
      }
    }
  }

  /** Runs the lane's requests one after another until none is left. */
  private void drain(ZoneLane lane) {
    Request r;
    while ((r = lane.next(clock.instant())) != null) {
      run(lane, r);
    }
    Instant now = clock.instant();
    if (lane.heldWithoutTimer(now)) {
      wakeLater(lane, term.epoch(), lane.heldFor(now), true);
    }
  }

  /** Runs the request with the zone and epoch in the MDC (structured fields of JSON logs). */
  @SuppressWarnings("try") // the try-with-resources resources are MDC scopes, never read
  private void run(ZoneLane lane, Request r) {
    try (var zone = MDC.putCloseable("zone", lane.zone().zone());
        var epoch = MDC.putCloseable("epoch", Long.toString(r.epoch()))) {
      reconcile(lane, r);
    }
  }

  private void reconcile(ZoneLane lane, Request r) {
    if (r.epoch() == 0 || !term.isCurrent(r.epoch())) {
      return;
    }
    ZoneReconciler zone = lane.zone();
    if (r.newTerm() && !zone.claimed(r.epoch())) {
      // A claim of this very term (claimFences) stays: it was made after the previous term's.
      zone.resetClaim();
    }
    int attempt = lane.failedAttempts() + 1;
    Duration delay = Duration.ofMillis(Math.min(backoff.apply(attempt), MAX_BACKOFF_MILLIS));
    ReconcileResult result;
    try {
      result =
          r.claimOnly()
              ? zone.claim(r.epoch(), delay)
              : zone.reconcile(r.epoch(), r.readBack(), delay);
    } catch (RuntimeException e) {
      log.error("zone={} reconcile failed unexpectedly", zone.zone(), e);
      result = new ReconcileResult.RetryAfter(delay, String.valueOf(e));
    }
    // A claim that went through or must wait is not counted: the term's reconcile, queued behind
    // it, is. A claim that failed is, as that reconcile's failure would be.
    if (!r.claimOnly()
        || !(result instanceof ReconcileResult.NoChanges
            || result instanceof ReconcileResult.Deferred)) {
      observer.reconciled(zone.zone(), r.trigger(), result);
    }
    switch (result) {
      case ReconcileResult.NoChanges n -> lane.succeeded();
      case ReconcileResult.Applied a -> lane.succeeded();
      case ReconcileResult.Failed f -> lane.succeeded();
      case ReconcileResult.Planned p -> lane.succeeded();
      case ReconcileResult.Paused p -> lane.succeeded();
      // Nothing was in flight when it was put off (a term in doubt, the guard before an unfenced
      // backend's first write): asked again as it was, without a read-back of its own. A read-back
      // of 100,000 records would hold up the writes of an outage each time the lease wavers.
      case ReconcileResult.Deferred d -> wakeLater(lane, r.epoch(), d.after(), r.readBack());
      case ReconcileResult.RetryAfter ra -> {
        lane.failed(attempt, clock.instant().plus(ra.backendWait()));
        wakeLater(lane, r.epoch(), ra.after(), true);
      }
      case ReconcileResult.NotLeader nl -> {
        // Several zones may find the same term over at once; the node steps down once.
        if (term.isCurrent(r.epoch()) && termLostReported.getAndSet(r.epoch()) != r.epoch()) {
          onTermLost.accept(nl.reason());
        }
      }
    }
    observer.retryState(zone.zone(), lane.failedAttempts());
  }

  /** Asks for the zone again after {@code after}; a retry after a failure reads the zone back. */
  private void wakeLater(ZoneLane lane, long epoch, Duration after, boolean readBack) {
    lane.arm(scheduling, after, () -> submit(lane, new Request(epoch, readBack, false, "retry")));
  }

  @Override
  public void close() {
    if (scheduling != null) {
      scheduling.close();
    }
  }
}
