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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one zone once: desired state → plan → provider batch → applied state in ZooKeeper.
 * Synchronous and single-threaded; scheduling, retries and coalescing belong to {@link Reconciler}.
 * Every write is preceded by a check that the term is still current.
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
  private final DesiredStateCalculator calculator = new DesiredStateCalculator();
  private final Planner planner = new Planner();
  private long claimedEpoch;
  // What this term wrote, by key (null value = deleted): the replicated view may lag a write
  // by a few milliseconds, and planning against it would send the same change twice.
  private final Map<RecordKey, RecordSet> writtenThisTerm = new HashMap<>();

  public ZoneReconciler(
      String zone,
      List<RecordConfig> records,
      DnsProvider provider,
      StateStore store,
      Supplier<Map<String, LineState>> lines,
      LeaderTerm term,
      String nodeId,
      InstantSource clock) {
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

  /**
   * Reconciles the zone for {@code epoch}. With {@code readBack} the provider's records are read
   * and drift is repaired; otherwise the applied-state view stands for what the provider holds.
   */
  public ReconcileResult reconcile(long epoch, boolean readBack, Duration retryDelay) {
    if (!term.isCurrent(epoch)) {
      return new ReconcileResult.NotLeader("term " + epoch + " is over");
    }
    try {
      if (claimedEpoch != epoch) {
        writtenThisTerm.clear();
        provider.claim(epoch);
        claimedEpoch = epoch;
        log.info("zone={} fence claimed epoch={}", zone, epoch);
      }
      Map<RecordKey, RecordSet> current;
      if (readBack) {
        current = readProvider();
        writtenThisTerm.clear();
      } else {
        current = appliedView();
      }
      Set<RecordKey> retired = retiredKeys();
      List<Change> changes =
          planner.plan(calculator.desired(records, lines.get()), current, retired);
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
      provider.apply(changes, epoch);
      Duration took = Duration.between(start, clock.instant());
      recordApplied(epoch, changes);
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
      log.warn(
          "zone={} apply failed transiently, retry in {}ms: {}",
          zone,
          retryDelay.toMillis(),
          e.getMessage());
      return new ReconcileResult.RetryAfter(retryDelay, e.getMessage());
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

  private void audit(String type, String detail) {
    try {
      store.audit(new AuditEvent(clock.instant(), nodeId, type, "zone=" + zone + " " + detail));
    } catch (StoreUnavailableException e) {
      log.warn("zone={} audit not written: {}", zone, e.getMessage());
    }
  }
}
