package io.haddns.controller.reconcile;

import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.plan.DesiredStateCalculator;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.plan.Planner;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one zone once: desired state → plan → provider batch → applied state in ZooKeeper.
 * Synchronous and single-threaded; scheduling, retries and coalescing belong to {@link Reconciler}.
 * Every write is preceded by a check that the term is still current.
 *
 * <p>Ownership: a configured record that the provider holds but haddns did not write (not in the
 * applied state, not marked as haddns' at the provider, not written by this process) is foreign: it
 * is left alone and reported until its record config says {@code adopt: true}. Ownership is decided
 * on every read-back, and a plan that would create a record reads the provider back first, so a
 * record someone else created since the last read-back is not overwritten. A record about to be
 * created is recorded as applied (fenced) before the provider is asked, so a leader lost right
 * after its write leaves a record the next leader still knows as haddns'.
 *
 * <p>Backends that cannot fence a stale leader's write: the term's first write waits {@code
 * unfencedGuard} (the previous leader's last call is bounded by its time limit) —
 * docs/architecture.md, "Fencing".
 *
 * <p>Dry run: the plan is computed against the provider's records, logged when it changes and
 * reported, and nothing is written (no fence claim either).
 */
public final class ZoneReconciler {
  private static final Logger log = LoggerFactory.getLogger(ZoneReconciler.class);

  private final String zone;
  private final List<RecordConfig> records;
  private final Set<RecordKey> configured;
  private final DnsProvider provider;
  private final StateStore store;
  private final Supplier<Map<String, LineState>> lines;
  private final LeaderTerm term;
  private final String nodeId;
  private final InstantSource clock;
  private final boolean dryRun;
  private final ApplyVerification verification;
  private final Duration unfencedGuard;
  private final BooleanSupplier paused;
  private final Set<RecordKey> adopt = new HashSet<>();
  private final DesiredStateCalculator calculator = new DesiredStateCalculator();
  private final Planner planner = new Planner();
  private long claimedEpoch;
  // What this term wrote, by key (null value = deleted): the replicated view may lag a write
  // by a few milliseconds, and planning against it would send the same change twice.
  private final Map<RecordKey, RecordSet> writtenThisTerm = new HashMap<>();
  // Keys this process has written to the provider, whatever the term: its own records stay its
  // own even when recording them in ZooKeeper failed after the provider accepted them.
  private final Set<RecordKey> writtenByThisNode = new HashSet<>();
  private volatile Set<RecordKey> foreign = Set.of();
  private volatile List<Change> lastPlan = List.of();
  private long guardEpoch;
  private Instant guardUntil = Instant.MIN;

  public ZoneReconciler(
      String zone,
      List<RecordConfig> records,
      DnsProvider provider,
      StateStore store,
      Supplier<Map<String, LineState>> lines,
      LeaderTerm term,
      String nodeId,
      InstantSource clock) {
    this(
        zone,
        records,
        provider,
        store,
        lines,
        term,
        nodeId,
        clock,
        false,
        Duration.ZERO,
        ApplyVerification.NONE);
  }

  /**
   * @param dryRun plan and report, never write
   * @param unfencedGuard how long a new term waits before its first write when the provider cannot
   *     fence writes itself
   * @param verification told of every successful apply
   */
  public ZoneReconciler(
      String zone,
      List<RecordConfig> records,
      DnsProvider provider,
      StateStore store,
      Supplier<Map<String, LineState>> lines,
      LeaderTerm term,
      String nodeId,
      InstantSource clock,
      boolean dryRun,
      Duration unfencedGuard,
      ApplyVerification verification) {
    this(
        zone,
        records,
        provider,
        store,
        lines,
        term,
        nodeId,
        clock,
        dryRun,
        unfencedGuard,
        verification,
        () -> false);
  }

  /**
   * @param paused true while an operator has paused the zone's writes (and drift repair)
   */
  public ZoneReconciler(
      String zone,
      List<RecordConfig> records,
      DnsProvider provider,
      StateStore store,
      Supplier<Map<String, LineState>> lines,
      LeaderTerm term,
      String nodeId,
      InstantSource clock,
      boolean dryRun,
      Duration unfencedGuard,
      ApplyVerification verification,
      BooleanSupplier paused) {
    this.paused = paused;
    this.verification = verification;
    this.dryRun = dryRun;
    this.unfencedGuard = unfencedGuard;
    records.stream().filter(RecordConfig::adopt).forEach(r -> adopt.add(r.key()));
    this.zone = zone;
    this.records = List.copyOf(records);
    this.configured = new HashSet<>();
    records.forEach(r -> configured.add(r.key()));
    this.provider = provider;
    this.store = store;
    this.lines = lines;
    this.term = term;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  public String zone() {
    return zone;
  }

  /** What the last reconcile found beyond the applied records; safe from any thread. */
  public ZoneReport report() {
    return new ZoneReport(
        zone,
        dryRun,
        lastPlan.stream().map(ZoneReconciler::describe).toList(),
        foreign.stream().sorted().toList());
  }

  /**
   * Reconciles the zone for {@code epoch}. With {@code readBack} the provider's records are read
   * and drift is repaired; otherwise the applied-state view stands for what the provider holds.
   */
  public ReconcileResult reconcile(long epoch, boolean readBack, Duration retryDelay) {
    if (!term.isCurrent(epoch)) {
      return new ReconcileResult.NotLeader("term " + epoch + " is over");
    }
    if (paused.getAsBoolean()) {
      log.debug("zone={} paused by an operator: not reconciled", zone);
      return new ReconcileResult.Paused("writes paused by an operator");
    }
    try {
      if (dryRun) {
        return dryRun();
      }
      if (claimedEpoch != epoch) {
        Duration wait = guardLeft(epoch);
        if (wait.isPositive()) {
          return new ReconcileResult.Deferred(
              wait, "the backend cannot fence the previous leader's last write");
        }
        writtenThisTerm.clear();
        provider.claim(epoch);
        claimedEpoch = epoch;
        if (provider.fencesWrites()) {
          log.info("zone={} fence claimed epoch={}", zone, epoch);
        } else {
          log.info("zone={} writes begin epoch={} (the backend cannot fence)", zone, epoch);
        }
      }
      Map<RecordKey, RecordSet> current = readBack ? readBack() : appliedView();
      List<Change> changes = plan(current);
      if (!readBack && changes.stream().anyMatch(c -> c instanceof Change.Create)) {
        // A create may meet a record someone else made since the last read-back: look first.
        readBack = true;
        current = readBack();
        changes = plan(current);
      }
      if (changes.isEmpty()) {
        if (readBack) {
          syncAppliedView(epoch, current);
        }
        return ReconcileResult.noChanges();
      }
      if (!term.isCurrent(epoch)) {
        return new ReconcileResult.NotLeader("term " + epoch + " ended before apply");
      }
      Instant start = clock.instant();
      changes.forEach(c -> writtenByThisNode.add(c.key()));
      if (provider.fencesWrites()) {
        List<AppliedRecord> claimed = claimCreates(epoch, changes);
        try {
          applyReadingBackAfterPartialFailure(changes, epoch, claimed);
        } catch (ProviderException e) {
          if (changes.size() <= Math.max(1, provider.maxChangesPerCall())) {
            // One message failed whole; a batch of several was read back, claims included.
            releaseClaims(epoch, claimed);
          }
          throw e;
        }
        recordApplied(epoch, changes);
      } else {
        applyInCalls(changes, epoch);
      }
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
      audit("apply", describe(changes));
      return applied;
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
      audit("apply-failed", e.getMessage());
      return new ReconcileResult.Failed(e.getMessage());
    } catch (StoreUnavailableException e) {
      log.warn("zone={} cluster state unavailable: {}", zone, e.getMessage());
      return new ReconcileResult.RetryAfter(retryDelay, e.getMessage());
    } catch (ProviderException e) {
      // The sealed hierarchy has no other subclasses; kept for the compiler.
      return new ReconcileResult.Failed(e.getMessage());
    }
  }

  /**
   * A backend that cannot fence gets one call per {@link DnsProvider#maxChangesPerCall()} changes,
   * each bounded by the provider's time limit and preceded by a term check, and each recorded as
   * applied once accepted: a stale leader's last write is at most one call, and a large change does
   * not need one long call.
   */
  private void applyInCalls(List<Change> changes, long epoch)
      throws ProviderException, NotLeaderException {
    int size = Math.max(1, provider.maxChangesPerCall());
    for (int from = 0; from < changes.size(); from += size) {
      if (!term.isCurrent(epoch)) {
        throw new NotLeaderException("term " + epoch + " ended during a multi-call apply");
      }
      List<Change> call = changes.subList(from, Math.min(changes.size(), from + size));
      List<AppliedRecord> claimed = claimCreates(epoch, call);
      try {
        provider.apply(call, epoch);
      } catch (ProviderException e) {
        releaseClaims(epoch, claimed);
        throw e;
      }
      recordApplied(epoch, call);
    }
  }

  /**
   * A batch larger than one call may go out as several messages, and only each message is atomic:
   * when a later one fails, the zone is read back at once so the applied state shows what the
   * server holds, not what it held before the batch.
   */
  private void applyReadingBackAfterPartialFailure(
      List<Change> changes, long epoch, List<AppliedRecord> claimed) throws ProviderException {
    try {
      provider.apply(changes, epoch);
    } catch (PermanentProviderException | TransientProviderException e) {
      if (changes.size() > Math.max(1, provider.maxChangesPerCall())) {
        try {
          Map<RecordKey, RecordSet> held = readProvider();
          syncAppliedView(epoch, held);
          List<RecordKey> gone = new ArrayList<>();
          changes.stream()
              .filter(c -> c instanceof Change.Delete && !held.containsKey(c.key()))
              .map(Change::key)
              .filter(store.applied()::containsKey)
              .forEach(gone::add);
          // Claimed for a create that did not happen (the view may not show the claim yet).
          claimed.stream()
              .map(a -> a.record().key())
              .filter(k -> !held.containsKey(k))
              .forEach(gone::add);
          if (!gone.isEmpty()) {
            store.putApplied(epoch, List.of(), gone);
          }
        } catch (ProviderException | NotLeaderException | StoreUnavailableException again) {
          log.warn(
              "zone={} applied state not read back after a failed batch: {}",
              zone,
              again.getMessage());
        }
      }
      throw e;
    }
  }

  private ReconcileResult dryRun() throws ProviderException {
    List<Change> changes = plan(readBack());
    if (!changes.equals(lastPlan)) {
      if (changes.isEmpty()) {
        log.info("zone={} dry run: nothing to change", zone);
      } else {
        log.info(
            "zone={} dry run: would apply {} changes, nothing written: {}",
            zone,
            changes.size(),
            describe(changes));
      }
    }
    lastPlan = changes;
    ReconcileResult.Applied counts = summarize(changes, Duration.ZERO);
    return new ReconcileResult.Planned(counts.creates(), counts.updates(), counts.deletes());
  }

  /** How long the term's first write must still wait; zero for backends that fence. */
  private Duration guardLeft(long epoch) {
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

  /** Reads the provider and decides which configured records there are foreign. */
  private Map<RecordKey, RecordSet> readBack() throws ProviderException {
    Map<RecordKey, RecordSet> current = readProvider();
    writtenThisTerm.clear();
    Set<RecordKey> marked = provider.ownedKeys();
    Map<RecordKey, AppliedRecord> applied = store.applied();
    Set<RecordKey> found = new HashSet<>();
    for (RecordKey key : configured) {
      RecordSet held = current.get(key);
      AppliedRecord known = applied.get(key);
      boolean owned =
          adopt.contains(key)
              || marked.contains(key)
              || writtenByThisNode.contains(key)
              || (known != null && known.zone().equals(zone));
      if (held != null && !held.isEmpty() && !owned) {
        found.add(key);
      }
    }
    for (RecordKey key : found) {
      if (!foreign.contains(key)) {
        log.warn(
            "zone={} record={} exists at the provider but was not written by haddns: left alone"
                + " (set adopt: true on the record to take it over)",
            zone,
            key);
        audit("foreign-record", key + " left alone: " + current.get(key));
      }
    }
    foreign = Set.copyOf(found);
    return current;
  }

  private List<Change> plan(Map<RecordKey, RecordSet> current) {
    Set<RecordKey> skip = foreign;
    Map<RecordKey, RecordSet> visible = new HashMap<>(current);
    visible.keySet().removeAll(skip);
    return planner.plan(
        calculator.desired(records, lines.get()).stream()
            .filter(d -> !skip.contains(d.key()))
            .toList(),
        visible,
        retiredKeys());
  }

  /** Forget the claimed fence so the next term claims again. */
  public void resetClaim() {
    claimedEpoch = 0;
    writtenThisTerm.clear();
  }

  private Map<RecordKey, RecordSet> readProvider() throws ProviderException {
    Map<RecordKey, RecordSet> current = new HashMap<>();
    for (RecordSet rs : provider.list()) {
      current.put(rs.key(), rs);
    }
    return current;
  }

  private Map<RecordKey, RecordSet> appliedView() {
    Map<RecordKey, RecordSet> current = new HashMap<>();
    store
        .applied()
        .forEach(
            (k, v) -> {
              if (v.zone().equals(zone)) {
                current.put(k, v.record());
              }
            });
    writtenThisTerm.forEach(
        (k, v) -> {
          if (v == null) {
            current.remove(k);
          } else {
            current.put(k, v);
          }
        });
    return current;
  }

  private Set<RecordKey> retiredKeys() {
    Set<RecordKey> retired = new HashSet<>();
    store
        .applied()
        .forEach(
            (k, v) -> {
              if (v.zone().equals(zone) && !configured.contains(k)) {
                retired.add(k);
              }
            });
    return retired;
  }

  /** After a read-back with nothing to change, make the applied view match the provider. */
  private void syncAppliedView(long epoch, Map<RecordKey, RecordSet> provider)
      throws NotLeaderException {
    Map<RecordKey, AppliedRecord> applied = store.applied();
    List<AppliedRecord> upserts = new ArrayList<>();
    Instant now = clock.instant();
    for (RecordKey key : configured) {
      if (foreign.contains(key)) {
        continue;
      }
      RecordSet actual = provider.get(key);
      AppliedRecord known = applied.get(key);
      if (actual != null && (known == null || !known.record().equals(actual))) {
        upserts.add(new AppliedRecord(actual, zone, epoch, now));
      }
    }
    if (!upserts.isEmpty()) {
      store.putApplied(epoch, upserts, List.of());
    }
  }

  /**
   * Records the records about to be created as applied, fenced, before the provider is asked: a
   * leader lost between its provider write and {@link #recordApplied} would otherwise leave a
   * record that no later leader recognises as haddns' on a backend without ownership marks (RFC
   * 2136), and that record would be left alone as foreign for good. Returns what was claimed, so a
   * failed apply can release it.
   */
  private List<AppliedRecord> claimCreates(long epoch, List<Change> changes)
      throws NotLeaderException {
    Instant now = clock.instant();
    Map<RecordKey, AppliedRecord> applied = store.applied();
    List<AppliedRecord> claims = new ArrayList<>();
    for (Change c : changes) {
      if (c instanceof Change.Create cr && !applied.containsKey(cr.key())) {
        claims.add(new AppliedRecord(cr.desired(), zone, epoch, now));
      }
    }
    if (!claims.isEmpty()) {
      store.putApplied(epoch, claims, List.of());
    }
    return claims;
  }

  /**
   * After a failed apply, drops the claims of records that were to be created and that the provider
   * does not hold, as far as this node can still write; what it cannot drop the next read-back
   * repairs.
   */
  private void releaseClaims(long epoch, List<AppliedRecord> claims) {
    if (claims.isEmpty()) {
      return;
    }
    try {
      store.putApplied(epoch, List.of(), claims.stream().map(a -> a.record().key()).toList());
    } catch (NotLeaderException | StoreUnavailableException e) {
      log.warn(
          "zone={} claims of {} records to create not released after a failed apply: {}",
          zone,
          claims.size(),
          e.getMessage());
    }
  }

  private void recordApplied(long epoch, List<Change> changes) throws NotLeaderException {
    Instant now = clock.instant();
    List<AppliedRecord> upserts = new ArrayList<>();
    List<RecordKey> removals = new ArrayList<>();
    for (Change c : changes) {
      switch (c) {
        case Change.Create cr -> upserts.add(new AppliedRecord(cr.desired(), zone, epoch, now));
        case Change.Update up -> upserts.add(new AppliedRecord(up.desired(), zone, epoch, now));
        case Change.Delete d -> removals.add(d.key());
      }
    }
    upserts.forEach(a -> writtenThisTerm.put(a.record().key(), a.record()));
    removals.forEach(k -> writtenThisTerm.put(k, null));
    store.putApplied(epoch, upserts, removals);
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

  private static String describe(Change c) {
    return switch (c) {
      case Change.Create cr -> "create " + cr.desired();
      case Change.Update up -> "update " + up.desired();
      case Change.Delete d -> "delete " + d.key();
    };
  }

  private static String describe(List<Change> changes) {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (Change c : changes) {
      if (shown++ == 20) {
        sb.append(" … and ").append(changes.size() - 20).append(" more");
        break;
      }
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      switch (c) {
        case Change.Create cr -> sb.append("create ").append(cr.desired());
        case Change.Update up -> sb.append("update ").append(up.desired());
        case Change.Delete d -> sb.append("delete ").append(d.key());
      }
    }
    return sb.toString();
  }

  /** Only a leader reconciles: its events are fenced by its term, like its other writes. */
  private void audit(String type, String detail) {
    try {
      store.audit(
          term.epoch(),
          new AuditEvent(clock.instant(), nodeId, type, "zone=" + zone + " " + detail));
    } catch (NotLeaderException e) {
      log.info("zone={} audit type={} not written: {}", zone, type, e.getMessage());
    } catch (StoreUnavailableException e) {
      log.warn("zone={} audit not written: {}", zone, e.getMessage());
    }
  }
}
