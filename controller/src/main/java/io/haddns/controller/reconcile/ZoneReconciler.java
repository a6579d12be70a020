package io.haddns.controller.reconcile;

import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.plan.Desired;
import io.haddns.controller.plan.DesiredStateCalculator;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.plan.Planner;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one zone once: desired state → plan → provider batch → applied state in ZooKeeper.
 * Synchronous and single-threaded; scheduling, retries and coalescing belong to {@link Reconciler}.
 * Every write is preceded by a check that the term is still current.
 *
 * <p>It coordinates: the term's fence claim ({@link FenceClaim}; a backend that cannot fence a
 * stale leader's write makes the term's first write wait — docs/architecture.md, "Fencing"), the
 * read-back and ownership decision ({@link ZoneReadBack}: a configured record that the provider
 * holds but haddns did not write is foreign, left alone and reported until its record config says
 * {@code adopt: true}), the plan, the apply and its recording as applied ({@link ZoneWrites}), and
 * the audit trail ({@link ZoneAudit}). A plan that would create a record reads the provider back
 * first, so a record someone else created since the last read-back is not overwritten.
 *
 * <p>Dry run: the plan is computed against the provider's records, logged when it changes and
 * reported, and nothing is written (no fence claim either).
 */
public final class ZoneReconciler {
  private static final Logger log = LoggerFactory.getLogger(ZoneReconciler.class);
  private static final Duration DOUBT_RECHECK = Duration.ofMillis(100);

  private final String zone;
  private final AffectedRecords records;
  private final Supplier<Map<String, LineState>> lines;
  private final LeaderTerm term;
  private final InstantSource clock;
  private final boolean dryRun;
  private final ApplyVerification verification;
  private final BooleanSupplier paused;
  private final DesiredStateCalculator calculator = new DesiredStateCalculator();
  private final Planner planner = new Planner();
  private final FenceClaim fence;
  private final ZoneAudit audit;
  private final ZoneReadBack view;
  private final ZoneWrites writes;
  private final DnsProvider provider;
  // The provider takes one call at a time (DnsProvider): a follower's prepare() and a reconcile.
  private final ReentrantLock providerCalls = new ReentrantLock();
  private volatile List<Change> lastPlan = List.of();

  /**
   * The lines a plan of this term was made from, once every change of that plan is written: the
   * zone's applied state then is the desired state of those lines, and the next plan without a
   * read-back need only look at the records of lines that changed since. Null when that is not
   * known (a new term, a write that failed or is under way, a read-back). Reconciling thread only.
   */
  private PlanBasis basis;

  private record PlanBasis(long epoch, Map<String, LineState> lines) {}

  public ZoneReconciler(ZoneReconcilerSettings settings) {
    this.zone = settings.zone();
    this.records = new AffectedRecords(settings.records());
    this.lines = settings.lines();
    this.term = settings.term();
    this.clock = settings.clock();
    this.dryRun = settings.dryRun();
    this.verification = settings.verification();
    this.paused = settings.paused();
    this.provider = settings.provider();
    this.fence = new FenceClaim(zone, settings.provider(), clock, settings.unfencedGuard());
    this.audit = new ZoneAudit(zone, settings.store(), term, settings.nodeId(), clock);
    this.view =
        new ZoneReadBack(zone, records.all(), settings.provider(), settings.store(), clock, audit);
    this.writes =
        new ZoneWrites(
            zone,
            settings.provider(),
            settings.store(),
            term,
            clock,
            view,
            settings.recorder(),
            settings.recordingPause(),
            settings.recordingFailed());
  }

  public String zone() {
    return zone;
  }

  /** What the last reconcile found beyond the applied records; safe from any thread. */
  public ZoneReport report() {
    return new ZoneReport(
        zone,
        dryRun,
        lastPlan.stream().map(ZoneAudit::describe).toList(),
        view.foreign().stream().sorted().toList());
  }

  /**
   * Reconciles the zone for {@code epoch}. With {@code readBack} the provider's records are read
   * and drift is repaired; otherwise the applied-state view stands for what the provider holds.
   */
  public ReconcileResult reconcile(long epoch, boolean readBack, Duration retryDelay) {
    providerCalls.lock();
    try {
      return reconcileLocked(epoch, readBack, false, retryDelay);
    } finally {
      providerCalls.unlock();
    }
  }

  /**
   * Claims the zone's fence for {@code epoch} and stops there, as the first step of a reconcile
   * would: the term's first write at the server, made before the rest of the term has started.
   * {@link ReconcileResult#noChanges()} when claimed (or already) and in a dry run, which claims
   * nothing; otherwise what a reconcile stopped at its claim returns ({@code Deferred} while a
   * backend that cannot fence must wait first, {@code NotLeader}, {@code RetryAfter}, ...).
   */
  public ReconcileResult claim(long epoch, Duration retryDelay) {
    providerCalls.lock();
    try {
      return reconcileLocked(epoch, false, true, retryDelay);
    } finally {
      providerCalls.unlock();
    }
  }

  /** Whether this zone's fence was claimed for {@code epoch}. */
  public boolean claimed(long epoch) {
    providerCalls.lock();
    try {
      return fence.isClaimed(epoch);
    } finally {
      providerCalls.unlock();
    }
  }

  /**
   * On a follower, once: readies the provider's first write ({@link DnsProvider#prepare}) so that
   * the fence claim after a takeover does not pay for first use. Does nothing while a term of this
   * node has begun or a reconcile runs. Returns what went wrong, if anything, for the log.
   */
  public Optional<String> prepare() {
    if (term.epoch() != 0 || !providerCalls.tryLock()) {
      return Optional.empty();
    }
    try {
      provider.prepare();
      return Optional.empty();
    } catch (ProviderException | RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    } finally {
      providerCalls.unlock();
    }
  }

  private ReconcileResult reconcileLocked(
      long epoch, boolean readBack, boolean claimOnly, Duration retryDelay) {
    if (!term.isCurrent(epoch)) {
      return new ReconcileResult.NotLeader("term " + epoch + " is over");
    }
    if (paused.getAsBoolean()) {
      log.debug("zone={} paused by an operator: not reconciled", zone);
      return new ReconcileResult.Paused("writes paused by an operator");
    }
    if (!term.mayWrite(epoch)) {
      return heldInDoubt(epoch);
    }
    return writes.reconciling(() -> reconcileNow(epoch, readBack, claimOnly, retryDelay));
  }

  private ReconcileResult reconcileNow(
      long epoch, boolean readBack, boolean claimOnly, Duration retryDelay) {
    try {
      if (dryRun) {
        return claimOnly ? ReconcileResult.noChanges() : dryRun();
      }
      // An earlier recording of this term that failed ends here (term over, or retried with a
      // read-back); a read-back compares the provider with the applied state, so it waits for the
      // recordings still running.
      if (readBack) {
        writes.awaitRecorded(epoch);
      } else {
        writes.checkRecorded(epoch);
      }
      if (!fence.isClaimed(epoch)) {
        Duration wait = fence.guardLeft(epoch);
        if (wait.isPositive()) {
          return new ReconcileResult.Deferred(
              wait, "the backend cannot fence the previous leader's last write");
        }
        view.forgetTermWrites();
        fence.claim(epoch);
      }
      if (claimOnly) {
        return ReconcileResult.noChanges();
      }
      Map<String, LineState> now = lines.get();
      Map<RecordKey, RecordSet> current = null;
      List<Change> changes;
      if (readBack) {
        basis = null;
        current = view.readBack();
        changes = plan(records.all(), now, current::get);
      } else {
        changes = plan(unplanned(epoch, now), now, view.appliedLookup());
      }
      if (!readBack && changes.stream().anyMatch(c -> c instanceof Change.Create)) {
        // A create may meet a record someone else made since the last read-back: look first.
        readBack = true;
        basis = null;
        current = view.readBack();
        changes = plan(records.all(), now, current::get);
      }
      if (changes.isEmpty()) {
        if (readBack) {
          writes.awaitRecorded(epoch);
          view.syncAppliedView(epoch, current);
        }
        basis = new PlanBasis(epoch, now);
        return ReconcileResult.noChanges();
      }
      if (!term.isCurrent(epoch)) {
        return new ReconcileResult.NotLeader("term " + epoch + " ended before apply");
      }
      if (!term.mayWrite(epoch)) {
        return heldInDoubt(epoch);
      }
      Instant start = clock.instant();
      basis = null;
      writes.apply(changes, epoch);
      basis = new PlanBasis(epoch, now);
      Duration took = Duration.between(start, clock.instant());
      verification.applied(zone, changes, start);
      ReconcileResult.Applied applied = summarize(changes, took);
      log.info(
          "zone={} applied creates={} updates={} deletes={} epoch={} took={}ms",
          zone,
          applied.creates(),
          applied.updates(),
          applied.deletes(),
          epoch,
          took.toMillis());
      String described = ZoneAudit.describe(changes);
      writes.afterRecordings(() -> audit.record(epoch, "apply", described));
      return applied;
    } catch (LeadershipDoubtedException e) {
      return heldInDoubt(epoch);
    } catch (FencedException e) {
      log.warn("zone={} fenced epoch={}: {}", zone, epoch, e.getMessage());
      return new ReconcileResult.NotLeader("fenced at the DNS server: " + e.getMessage());
    } catch (NotLeaderException e) {
      log.warn("zone={} not leader epoch={}: {}", zone, epoch, e.getMessage());
      return new ReconcileResult.NotLeader(e.getMessage());
    } catch (TransientProviderException e) {
      Duration wait =
          e.retryAfter().filter(asked -> asked.compareTo(retryDelay) > 0).orElse(retryDelay);
      log.warn(
          "zone={} apply failed transiently, retry in {}ms: {}",
          zone,
          wait.toMillis(),
          e.getMessage());
      return new ReconcileResult.RetryAfter(
          wait, e.getMessage(), e.retryAfter().orElse(Duration.ZERO));
    } catch (PermanentProviderException e) {
      log.error("zone={} apply failed permanently: {}", zone, e.getMessage());
      audit.record("apply-failed", e.getMessage());
      return new ReconcileResult.Failed(e.getMessage());
    } catch (StoreUnavailableException e) {
      log.warn("zone={} cluster state unavailable: {}", zone, e.getMessage());
      return new ReconcileResult.RetryAfter(retryDelay, e.getMessage());
    } catch (ProviderException e) {
      // The sealed hierarchy has no other subclasses; kept for the compiler.
      return new ReconcileResult.Failed(e.getMessage());
    }
  }

  /** Forget the claimed fence so the next term claims again. */
  public void resetClaim() {
    fence.reset();
    view.forgetTermWrites();
  }

  private ReconcileResult dryRun() throws ProviderException {
    List<Change> changes = plan(records.all(), lines.get(), view.readBack()::get);
    if (!changes.equals(lastPlan)) {
      if (changes.isEmpty()) {
        log.info("zone={} dry run: nothing to change", zone);
      } else {
        log.info(
            "zone={} dry run: would apply {} changes, nothing written: {}",
            zone,
            changes.size(),
            ZoneAudit.describe(changes));
      }
    }
    lastPlan = changes;
    ReconcileResult.Applied counts = summarize(changes, Duration.ZERO);
    return new ReconcileResult.Planned(counts.creates(), counts.updates(), counts.deletes());
  }

  /**
   * The records a plan without read-back must look at: those whose lines changed since the basis of
   * this term, or all of them when there is none. At 100,000 records a full plan takes a few
   * hundred milliseconds of a busy machine, and a regional outage reconciles several times within
   * seconds.
   */
  private List<RecordConfig> unplanned(long epoch, Map<String, LineState> now) {
    PlanBasis b = basis;
    return b == null || b.epoch() != epoch ? records.all() : records.since(b.lines(), now);
  }

  /**
   * The plan of {@code subject} for the lines {@code now} against what the zone holds ({@code
   * current}: null for a key it does not hold); call right after reading it (appliedLookup or
   * readBack), which also decides foreign and retired keys.
   */
  private List<Change> plan(
      List<RecordConfig> subject,
      Map<String, LineState> now,
      Function<RecordKey, RecordSet> current) {
    Set<RecordKey> skip = view.foreign();
    List<Desired> desired = calculator.desired(subject, now);
    if (skip.isEmpty()) {
      return planner.plan(desired, current, view.retiredKeys());
    }
    return planner.plan(
        desired.stream().filter(d -> !skip.contains(d.key())).toList(),
        key -> skip.contains(key) ? null : current.apply(key),
        view.retiredKeys());
  }

  private static ReconcileResult.Applied summarize(List<Change> changes, Duration took) {
    int creates = 0;
    int updates = 0;
    int deletes = 0;
    for (Change c : changes) {
      switch (c) {
        case Change.Create cr -> creates++;
        case Change.Update up -> updates++;
        case Change.Delete d -> deletes++;
      }
    }
    return new ReconcileResult.Applied(creates, updates, deletes, took);
  }

  /** The term is in doubt (its lease renewal is late): nothing is written, tried again soon. */
  private ReconcileResult heldInDoubt(long epoch) {
    log.debug("zone={} epoch={} leadership in doubt: writes held", zone, epoch);
    return new ReconcileResult.Deferred(
        DOUBT_RECHECK, "leadership in doubt: writes held until the lease is confirmed");
  }
}
