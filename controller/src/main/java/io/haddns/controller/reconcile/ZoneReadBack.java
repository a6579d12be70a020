package io.haddns.controller.reconcile;

import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a zone holds, and which of its configured records are haddns' own: read back from the
 * provider, or taken from the applied state plus what this term wrote since.
 *
 * <p>A configured record that the provider holds is foreign unless its record config says {@code
 * adopt: true}, the provider marks it as haddns', the applied state records it for this zone, or
 * this process wrote it (whatever the term: its own records stay its own even when recording them
 * in ZooKeeper failed after the provider accepted them). Foreign records are decided on every
 * read-back, left out of the plan and audited once.
 *
 * <p>Confined to the zone's reconciling thread, except {@link #foreign()}.
 */
final class ZoneReadBack {
  // Logs as the zone's reconciler: operators follow one zone's reconcile under one logger name.
  private static final Logger log = LoggerFactory.getLogger(ZoneReconciler.class);

  private final String zone;
  private final Set<RecordKey> configured = new HashSet<>();
  private final Set<RecordKey> adopt = new HashSet<>();
  private final DnsProvider provider;
  private final StateStore store;
  private final InstantSource clock;
  private final ZoneAudit audit;
  // What this term wrote, by key (null value = deleted): the replicated view may lag a write
  // by a few milliseconds, and planning against it would send the same change twice.
  private final Map<RecordKey, RecordSet> writtenThisTerm = new HashMap<>();
  private final Set<RecordKey> writtenByThisNode = new HashSet<>();
  private volatile Set<RecordKey> foreign = Set.of();
  // Retired keys as of the last read-back, or the first lookup of the term (null: not read yet).
  private Set<RecordKey> retired;

  ZoneReadBack(
      String zone,
      List<RecordConfig> records,
      DnsProvider provider,
      StateStore store,
      InstantSource clock,
      ZoneAudit audit) {
    this.zone = zone;
    records.forEach(r -> configured.add(r.key()));
    records.stream().filter(RecordConfig::adopt).forEach(r -> adopt.add(r.key()));
    this.provider = provider;
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  /** The configured records found foreign at the last read-back; safe from any thread. */
  Set<RecordKey> foreign() {
    return foreign;
  }

  /** Reads the provider and decides which configured records there are foreign. */
  Map<RecordKey, RecordSet> readBack() throws ProviderException {
    Map<RecordKey, RecordSet> current = readProvider();
    writtenThisTerm.clear();
    Set<RecordKey> marked = provider.ownedKeys();
    Map<RecordKey, AppliedRecord> applied = store.applied();
    retired = retired(applied);
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
        audit.record("foreign-record", key + " left alone: " + current.get(key));
      }
    }
    foreign = Set.copyOf(found);
    return current;
  }

  /** The provider's records, with no ownership decided. */
  Map<RecordKey, RecordSet> readProvider() throws ProviderException {
    Map<RecordKey, RecordSet> current = new HashMap<>();
    for (RecordSet rs : provider.list()) {
      current.put(rs.key(), rs);
    }
    return current;
  }

  /**
   * The zone's applied records with what this term wrote since, looked up one key at a time in the
   * store's view: no copy of 100,000 records per reconcile. Use on this thread, before the next
   * write.
   */
  Function<RecordKey, RecordSet> appliedLookup() {
    if (retired == null) {
      retired = retired(store.applied());
    }
    return key -> {
      if (writtenThisTerm.containsKey(key)) {
        return writtenThisTerm.get(key);
      }
      return store
          .applied(key)
          .filter(a -> a.zone().equals(zone))
          .map(AppliedRecord::record)
          .orElse(null);
    };
  }

  /**
   * Applied records of this zone that are no longer configured, as of the last read-back or, in a
   * term without one yet, the first {@link #appliedLookup()}. Only this term deletes them
   * meanwhile, and what it deleted the lookup shows as gone.
   */
  Set<RecordKey> retiredKeys() {
    return retired == null ? Set.of() : retired;
  }

  private Set<RecordKey> retired(Map<RecordKey, AppliedRecord> applied) {
    Set<RecordKey> out = new HashSet<>();
    applied.forEach(
        (k, v) -> {
          if (v.zone().equals(zone) && !configured.contains(k)) {
            out.add(k);
          }
        });
    return out;
  }

  /** After a read-back with nothing to change, make the applied view match the provider. */
  void syncAppliedView(long epoch, Map<RecordKey, RecordSet> held) throws NotLeaderException {
    Map<RecordKey, AppliedRecord> applied = store.applied();
    List<AppliedRecord> upserts = new ArrayList<>();
    Instant now = clock.instant();
    for (RecordKey key : configured) {
      if (foreign.contains(key)) {
        continue;
      }
      RecordSet actual = held.get(key);
      AppliedRecord known = applied.get(key);
      if (actual != null && (known == null || !known.record().equals(actual))) {
        upserts.add(new AppliedRecord(actual, zone, epoch, now));
      }
    }
    if (!upserts.isEmpty()) {
      store.putApplied(epoch, upserts, List.of());
    }
  }

  /** This process is about to send {@code changes} to the provider: their records are its own. */
  void writing(List<Change> changes) {
    changes.forEach(c -> writtenByThisNode.add(c.key()));
  }

  /** This term recorded these records as applied ({@code null}: deleted). */
  void recorded(List<AppliedRecord> upserts, List<RecordKey> removals) {
    upserts.forEach(a -> writtenThisTerm.put(a.record().key(), a.record()));
    removals.forEach(k -> writtenThisTerm.put(k, null));
  }

  /** A new term (or a lost one) starts from the applied state alone. */
  void forgetTermWrites() {
    writtenThisTerm.clear();
    retired = null;
  }
}
