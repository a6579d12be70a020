package io.haddns.controller.provider.alidns;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ErrorContext;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.ForeignRecords;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.ProviderLifecycle;
import io.haddns.controller.provider.RecordConvergence;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TermGuard;
import io.haddns.controller.provider.TransientProviderException;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a zone through Alibaba Cloud DNS ({@code provider: { type: alidns }}).
 *
 * <p>Records: the API holds one record per address, so an RRset is the group of records with the
 * same RR and Type on the configured {@code line}; records of other lines are neither listed nor
 * touched. {@link #apply} writes each RRset's full desired state record by record: a record whose
 * address stays is kept (its TTL updated if needed), records whose address goes are re-pointed with
 * {@code UpdateDomainRecord} (their RecordId reused), missing addresses are added and surplus
 * records deleted. The API has no batch, so {@link #maxChangesPerCall()} is 1.
 *
 * <p>Ownership: every record haddns writes gets the Remark {@code managed-by=haddns} ({@code
 * UpdateDomainRecordRemark}). {@link #ownedKeys()} reports the RRsets all of whose records carried
 * it at the last {@link #list()}, plus those written since. An unmarked record under a name that
 * also holds haddns' marked records is left alone and reported unless the key is adopted ({@link
 * ForeignRecords}). The reconciler decides per record what to write; as a second guard, deleting an
 * RRset with a record lacking the mark is refused with {@link PermanentProviderException} before
 * anything is written.
 *
 * <p>Retries: the provider keeps the records (and RecordIds) of its last listing and updates them
 * with each write; after any failed apply it lists again before the next write. An add answered
 * {@code DomainRecordDuplicate} (a retried add that had succeeded) or an update of a record that
 * vanished re-lists and converges that RRset once more; a delete of a record already gone is done.
 *
 * <p>Fencing (docs/architecture.md, "Fencing"): the API has no conditional write, so {@link
 * #fencesWrites()} is false. The window is narrowed: the {@link TermGuard} is asked before every
 * write request, each request is bounded by {@code timeout}, and only full RRsets are written. A
 * stale leader can still complete the request it sent before the new term began.
 *
 * <p>Threading: one caller at a time (see {@link DnsProvider}); {@link #ownedKeys()} may be read
 * from any thread. The constructor does no I/O.
 */
public final class AlidnsDnsProvider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(AlidnsDnsProvider.class);
  private static final String DUPLICATE = "DomainRecordDuplicate";
  private static final String GONE = "DomainRecordNotBelongToUser";
  private static final Set<String> STALE_VIEW = Set.of(DUPLICATE, GONE);
  private static final int REMARK_ATTEMPTS = 3;

  private final String zone;
  private final ProviderConfig.Alidns config;
  private final TermGuard termGuard;
  private final AlidnsRecords mapping;
  private final AlidnsApi api;
  private final ForeignRecords<AlidnsRecords.Record> foreign;

  /** The configured line's A/AAAA records by key; null when it must be read again. */
  private Map<RecordKey, List<AlidnsRecords.Record>> view;

  // Records this process added whose mark could not be set (nor the record deleted again).
  private final Set<String> addedUnmarked = new HashSet<>();
  private final ProviderLifecycle lifecycle;

  /**
   * @param termGuard asked before every write whether {@code epoch} is still the current term
   * @throws IllegalArgumentException naming the zone for an empty zone name, a rate below 1 or a
   *     timeout that is not positive
   */
  public AlidnsDnsProvider(
      String zone, ProviderConfig.Alidns config, TermGuard termGuard, InstantSource clock) {
    this(zone, config, termGuard, Set.of(), clock);
  }

  /**
   * @param adopted the keys configured {@code adopt: true} (see {@link ForeignRecords})
   */
  public AlidnsDnsProvider(
      String zone,
      ProviderConfig.Alidns config,
      TermGuard termGuard,
      Set<RecordKey> adopted,
      InstantSource clock) {
    this(zone, config, termGuard, adopted, clock, RequestPacer.realTime(positiveRate(config)));
  }

  /**
   * @param pacer paces every API request; shared by the zones of one account ({@link
   *     io.haddns.controller.provider.RequestPacers})
   */
  public AlidnsDnsProvider(
      String zone,
      ProviderConfig.Alidns config,
      TermGuard termGuard,
      Set<RecordKey> adopted,
      InstantSource clock,
      RequestPacer pacer) {
    this(
        zone, config, termGuard, adopted, clock, pacer, AlidnsApi.randomNonces(), Optional.empty());
  }

  /** With the pacer, nonces and (when present) an exchange answering instead of HTTP; tests. */
  AlidnsDnsProvider(
      String zone,
      ProviderConfig.Alidns config,
      TermGuard termGuard,
      Set<RecordKey> adopted,
      InstantSource clock,
      RequestPacer pacer,
      Supplier<String> nonces,
      Optional<AlidnsApi.Exchange> exchange) {
    this.zone = DnsNames.canonical(Objects.requireNonNull(zone, "zone"));
    this.lifecycle = new ProviderLifecycle("alidns", this.zone);
    this.config = Objects.requireNonNull(config, "config");
    this.termGuard = Objects.requireNonNull(termGuard, "termGuard");
    validate(this.zone, config);
    this.mapping = new AlidnsRecords(this.zone);
    this.api = new AlidnsApi(this.zone, config, pacer, clock, nonces, exchange);
    this.foreign =
        new ForeignRecords<>(
            "alidns",
            this.zone,
            adopted,
            new ForeignRecords.Marking<>(
                "Remark '" + AlidnsRecords.MARK + "'",
                this::ours,
                AlidnsRecords.Record::address,
                r -> r.key() + " " + r.value() + " (RecordId " + r.id() + ")"));
  }

  @Override
  public String zone() {
    return zone;
  }

  /** False: the API has no conditional write; writes are narrowed, not fenced. */
  @Override
  public boolean fencesWrites() {
    return false;
  }

  /** One: every record is its own API call, there is no batch action. */
  @Override
  public int maxChangesPerCall() {
    return 1;
  }

  /** Writes nothing (there is no fence record); refuses an epoch older than the term. */
  @Override
  public void claim(long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    termGuard.check(epoch);
  }

  @Override
  public List<RecordSet> list() throws ProviderException {
    lifecycle.requireOpen();
    refresh();
    return AlidnsRecords.recordSets(view);
  }

  @Override
  public Set<RecordKey> ownedKeys() {
    return foreign.ownedKeys();
  }

  /**
   * The unmarked records left alone under names haddns writes, as of the last read (see {@link
   * ForeignRecords}).
   */
  public List<String> foreignRecords() {
    return foreign.foreign();
  }

  @Override
  public void apply(List<Change> changes, long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    if (changes.isEmpty()) {
      return;
    }
    lifecycle.requireInZoneOncePerKey(changes);
    termGuard.check(epoch);
    int done = 0;
    RecordKey writing = null;
    try {
      if (view == null) {
        refresh();
      }
      foreign.refuseUnmarkedDeletes(changes, view);
      for (Change c : changes) {
        writing = c.key();
        switch (c) {
          case Change.Create create -> converge(create.desired(), epoch, true);
          case Change.Update update -> converge(update.desired(), epoch, true);
          case Change.Delete delete -> remove(delete.key(), epoch);
        }
        done++;
      }
    } catch (ProviderException e) {
      // What the failed request did is unknown: read the zone again before the next write.
      view = null;
      String record = writing == null ? "" : " (" + ErrorContext.records(List.of(writing)) + ")";
      throw ErrorContext.append(
          e,
          done == 0
              ? record
              : record + " [" + done + " of " + changes.size() + " changes were applied]");
    }
    // Debug: with one change per call the reconciler's own summary is the line to read.
    log.debug(
        "zone={} alidns applied creates={} updates={} deletes={} epoch={}",
        zone,
        count(changes, Change.Create.class),
        count(changes, Change.Update.class),
        count(changes, Change.Delete.class),
        epoch);
  }

  @Override
  public void close() {
    lifecycle.close();
    api.close();
  }

  /** Makes the records of {@code desired}'s key hold exactly its addresses and TTL, all marked. */
  private void converge(RecordSet desired, long epoch, boolean mayRelist) throws ProviderException {
    RecordKey key = desired.key();
    String rr = mapping.rr(key.name());
    String type = key.type().name();
    long ttl = desired.ttl();
    // Records left alone already answer with foreign addresses; Alibaba refuses a duplicate record.
    RecordConvergence<AlidnsRecords.Record> plan =
        RecordConvergence.plan(
            desired.addresses(),
            view.getOrDefault(key, List.of()),
            AlidnsRecords.Record::address,
            foreign.foreignAddresses(key));
    List<AlidnsRecords.Record> result = new ArrayList<>();
    try {
      for (AlidnsRecords.Record r : plan.keep()) {
        if (r.ttl() != ttl) {
          termGuard.check(epoch);
          api.update(r.id(), rr, type, r.value(), ttl, STALE_VIEW);
          r = r.withValue(r.value(), ttl);
        }
        result.add(mark(r, epoch));
      }
      for (RecordConvergence.Repoint<AlidnsRecords.Record> p : plan.repoint()) {
        String value = IpLiteral.canonical(p.address());
        termGuard.check(epoch);
        api.update(p.record().id(), rr, type, value, ttl, STALE_VIEW);
        result.add(mark(p.record().withValue(value, ttl), epoch));
      }
      for (InetAddress a : plan.create()) {
        String value = IpLiteral.canonical(a);
        termGuard.check(epoch);
        String id = api.add(rr, type, value, ttl, STALE_VIEW);
        result.add(
            markAdded(
                new AlidnsRecords.Record(id, key, value, Optional.of(a), ttl, config.line(), false),
                epoch));
      }
      for (AlidnsRecords.Record s : plan.delete()) {
        delete(s, epoch);
      }
    } catch (AlidnsApi.Refused e) {
      if (!mayRelist) {
        throw new PermanentProviderException(
            "alidns zone "
                + zone
                + ": writing "
                + key
                + " was refused with "
                + e.code()
                + " even after reading the zone again: "
                + e.getMessage());
      }
      log.info("zone={} record={} alidns answered {}: reading the zone again", zone, key, e.code());
      refresh();
      converge(desired, epoch, false);
      return;
    }
    view.put(key, List.copyOf(result));
    foreign.wrote(key);
  }

  private AlidnsRecords.Record mark(AlidnsRecords.Record r, long epoch) throws ProviderException {
    if (r.marked()) {
      return r;
    }
    termGuard.check(epoch);
    api.remark(r.id(), AlidnsRecords.MARK);
    addedUnmarked.remove(r.id());
    return r.markedNow();
  }

  /**
   * Marks a record this apply has just added. The add and the remark are two calls: a record left
   * without the mark would later look foreign and could never be deleted, so the remark is tried
   * {@value #REMARK_ATTEMPTS} times, and if it still fails the record is deleted again and the
   * error reported (transient or permanent as the remark's failure). Should that delete fail too,
   * this process remembers the RecordId as its own and marks the record at its next write.
   */
  private AlidnsRecords.Record markAdded(AlidnsRecords.Record r, long epoch)
      throws ProviderException {
    ProviderException failure = null;
    try {
      for (int attempt = 1; attempt <= REMARK_ATTEMPTS; attempt++) {
        termGuard.check(epoch);
        try {
          api.remark(r.id(), AlidnsRecords.MARK);
          return r.markedNow();
        } catch (TransientProviderException e) {
          failure = e;
        } catch (PermanentProviderException e) {
          failure = e;
          break;
        }
      }
      termGuard.check(epoch);
      api.delete(r.id(), Set.of(GONE));
    } catch (AlidnsApi.Refused gone) {
      // Already deleted: nothing of haddns' is left unmarked.
    } catch (ProviderException e) {
      addedUnmarked.add(r.id());
      log.warn(
          "zone={} record={} value={} RecordId={} was added but could not be marked nor deleted:"
              + " this node will mark it at its next write",
          zone,
          r.key(),
          r.value(),
          r.id());
      throw e instanceof FencedException || failure == null ? e : failure;
    }
    throw ErrorContext.append(
        failure,
        "; "
            + AlidnsRecords.MARK
            + " could not be set on the record just added (RecordId "
            + r.id()
            + "), so it was deleted again");
  }

  private void remove(RecordKey key, long epoch) throws ProviderException {
    for (AlidnsRecords.Record r : view.getOrDefault(key, List.of())) {
      delete(r, epoch);
    }
    view.remove(key);
    foreign.deleted(key);
  }

  private void delete(AlidnsRecords.Record r, long epoch) throws ProviderException {
    termGuard.check(epoch);
    try {
      api.delete(r.id(), Set.of(GONE));
    } catch (AlidnsApi.Refused e) {
      log.debug("zone={} record={} id={} already deleted", zone, r.key(), r.id());
    }
  }

  private boolean ours(AlidnsRecords.Record r) {
    return r.marked() || addedUnmarked.contains(r.id());
  }

  private void refresh() throws ProviderException {
    List<AlidnsRecords.Record> all = new ArrayList<>();
    for (String type : List.of("A", "AAAA")) {
      for (JsonNode json : api.describeRecords(type)) {
        mapping.parse(json).ifPresent(all::add);
      }
    }
    Map<String, AlidnsRecords.Record> byId = new LinkedHashMap<>();
    // A record moving between pages while they are read would be listed twice.
    all.forEach(r -> byId.putIfAbsent(r.id(), r));
    view = foreign.sort(AlidnsRecords.group(new ArrayList<>(byId.values()), config.line()));
  }

  private static long count(List<Change> changes, Class<? extends Change> kind) {
    return changes.stream().filter(kind::isInstance).count();
  }

  private static int positiveRate(ProviderConfig.Alidns config) {
    return Math.max(1, config.requestsPerSecond());
  }

  private static void validate(String zone, ProviderConfig.Alidns config) {
    if (zone.isEmpty()) {
      throw new IllegalArgumentException("zone name is empty");
    }
    if (config.requestsPerSecond() < 1) {
      throw new IllegalArgumentException(
          "alidns zone " + zone + ": requestsPerSecond must be at least 1");
    }
    if (config.timeout().isNegative() || config.timeout().isZero()) {
      throw new IllegalArgumentException(
          "alidns zone " + zone + ": timeout must be positive: " + config.timeout());
    }
  }
}
