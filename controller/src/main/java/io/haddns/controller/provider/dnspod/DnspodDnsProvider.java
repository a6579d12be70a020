package io.haddns.controller.provider.dnspod;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ErrorContext;
import io.haddns.controller.provider.ForeignRecords;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.ProviderLifecycle;
import io.haddns.controller.provider.RecordConvergence;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TermGuard;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a zone through DNSPod's Tencent Cloud API 3.0 ({@code provider: { type: dnspod }}).
 *
 * <p>DNSPod keeps one record per address and line; haddns reads and writes only the configured line
 * ({@code 默认}, the default line, unless set). {@link #apply} makes each RRset hold exactly the
 * desired addresses against the records it last read: records already right are left alone, surplus
 * records are re-pointed with ModifyRecord, then missing ones created (CreateRecord, with the mark
 * in {@code Remark}) and leftovers deleted. One record per API call, so {@link
 * #maxChangesPerCall()} is 1. After a failed call the cached listing is dropped and a retry reads
 * the zone again.
 *
 * <p>Ownership: records haddns writes carry the remark {@code managed-by=haddns}; {@link
 * #ownedKeys()} lists the RRsets whose records all carried it at the last read. An unmarked record
 * under a name that also holds haddns' marked records is left alone and reported unless the key is
 * adopted ({@link ForeignRecords}). The reconciler sends changes for a wholly unmarked RRset only
 * when it decided haddns owns it ({@code adopt: true}); the write then adds the mark
 * (ModifyRecordRemark). Deleting an unmarked record is refused.
 *
 * <p>Fencing: the API has no conditional write, so {@link #fencesWrites()} is false
 * (docs/architecture.md, "Fencing"). The window is narrowed: the {@link TermGuard} is asked right
 * before every write request, so a leader that has seen a newer term stops between calls with
 * {@code FencedException}.
 *
 * <p>Threading: one caller at a time (see {@link DnsProvider}); every HTTP request is bounded by
 * the configured timeout. The constructor does no I/O.
 */
public final class DnspodDnsProvider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(DnspodDnsProvider.class);

  private final String zone;
  private final DnspodApi api;
  private final ForeignRecords<DnspodRecord> foreign;
  private final TermGuard termGuard;
  private Map<RecordKey, List<DnspodRecord>> records;
  private final ProviderLifecycle lifecycle;

  /** A provider without a term check and with no adopted record; tests and single-node use. */
  public DnspodDnsProvider(String zone, ProviderConfig.Dnspod config, InstantSource clock) {
    this(zone, config, TermGuard.NONE, Set.of(), clock);
  }

  /**
   * @param termGuard asked right before every write request whether the epoch is still the term
   * @param adopted the keys configured {@code adopt: true} (see {@link ForeignRecords})
   */
  public DnspodDnsProvider(
      String zone,
      ProviderConfig.Dnspod config,
      TermGuard termGuard,
      Set<RecordKey> adopted,
      InstantSource clock) {
    this(
        zone,
        config,
        termGuard,
        adopted,
        clock,
        RequestPacer.realTime(Math.max(1, config.requestsPerSecond())));
  }

  /**
   * With the pacer every request waits for: shared by the zones of one account ({@link
   * io.haddns.controller.provider.RequestPacers}).
   */
  public DnspodDnsProvider(
      String zone,
      ProviderConfig.Dnspod config,
      TermGuard termGuard,
      Set<RecordKey> adopted,
      InstantSource clock,
      RequestPacer pacer) {
    this.zone = DnsNames.canonical(Objects.requireNonNull(zone, "zone"));
    this.lifecycle = new ProviderLifecycle("dnspod", this.zone);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    this.termGuard = Objects.requireNonNull(termGuard, "termGuard");
    if (this.zone.isEmpty()) {
      throw new IllegalArgumentException("dnspod zone name is empty");
    }
    this.api = new DnspodApi(this.zone, config, clock, pacer);
    this.foreign =
        new ForeignRecords<>(
            "dnspod",
            this.zone,
            adopted,
            new ForeignRecords.Marking<>(
                "remark '" + DnspodRecord.OWNER_MARK + "'",
                DnspodRecord::owned,
                DnspodRecord::address,
                DnspodRecord::toString));
  }

  @Override
  public String zone() {
    return zone;
  }

  @Override
  public boolean fencesWrites() {
    return false;
  }

  @Override
  public int maxChangesPerCall() {
    return 1;
  }

  /** Nothing to claim at the backend; checks the credentials by reading the zone. */
  @Override
  public void claim(long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    termGuard.check(epoch);
    refresh();
  }

  @Override
  public List<RecordSet> list() throws ProviderException {
    lifecycle.requireOpen();
    refresh();
    List<RecordSet> sets = new ArrayList<>();
    records.forEach(
        (key, recs) -> {
          List<InetAddress> addresses = new ArrayList<>();
          recs.forEach(r -> r.address().ifPresent(addresses::add));
          long ttl = recs.stream().mapToLong(DnspodRecord::ttl).min().orElse(600);
          sets.add(new RecordSet(key, ttl, addresses));
        });
    return sets;
  }

  /** The RRsets whose records all carried {@code managed-by=haddns} at the last read. */
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
    lifecycle.requireInZone(changes);
    termGuard.check(epoch);
    if (records == null) {
      refresh();
    }
    foreign.refuseUnmarkedDeletes(changes, records);
    int calls = 0;
    int done = 0;
    RecordKey writing = null;
    try {
      for (Change c : changes) {
        writing = c.key();
        calls += write(c.key(), RecordConvergence.desired(c), epoch);
        done++;
      }
    } catch (ProviderException e) {
      records = null;
      throw ErrorContext.append(
          e,
          " ("
              + ErrorContext.records(List.of(writing))
              + "; after "
              + done
              + " of "
              + changes.size()
              + " RRset changes)");
    }
    log.info(
        "zone={} applied changes={} calls={} epoch={} provider=dnspod",
        zone,
        changes.size(),
        calls,
        epoch);
  }

  /** Writes one RRset's full desired state; answers the number of API calls made. */
  private int write(RecordKey key, Optional<RecordSet> desired, long epoch)
      throws ProviderException {
    long ttl = desired.map(RecordSet::ttl).orElse(0L);
    // Records left alone already answer with foreign addresses; DNSPod refuses a second identical
    // record.
    RecordConvergence<DnspodRecord> plan =
        RecordConvergence.plan(
            desired.map(RecordSet::addresses).orElse(List.of()),
            records.getOrDefault(key, List.of()),
            DnspodRecord::address,
            foreign.foreignAddresses(key));
    int calls = 0;
    for (DnspodRecord r : plan.keep()) {
      if (r.ttl() != ttl) {
        calls += modify(r, r.address().orElseThrow(), ttl, epoch);
      }
      calls += mark(r, epoch);
    }
    for (RecordConvergence.Repoint<DnspodRecord> p : plan.repoint()) {
      calls += modify(p.record(), p.address(), ttl, epoch);
      calls += mark(p.record(), epoch);
    }
    for (InetAddress a : plan.create()) {
      termGuard.check(epoch);
      long id = api.create(key.name(), key.type(), a, ttl);
      calls++;
      add(
          new DnspodRecord(
              id,
              key.name(),
              key.type(),
              a.getHostAddress(),
              ttl,
              api.line(),
              DnspodRecord.OWNER_MARK));
    }
    for (DnspodRecord r : plan.delete()) {
      termGuard.check(epoch);
      api.delete(r);
      calls++;
      remove(r);
    }
    return calls;
  }

  /** Points {@code r} at {@code address} with {@code ttl} (ModifyRecord); answers 1 call. */
  private int modify(DnspodRecord r, InetAddress address, long ttl, long epoch)
      throws ProviderException {
    termGuard.check(epoch);
    api.modify(r, address, ttl);
    String value = r.address().equals(Optional.of(address)) ? r.value() : address.getHostAddress();
    replace(r, new DnspodRecord(r.id(), r.name(), r.type(), value, ttl, r.line(), r.remark()));
    return 1;
  }

  /** Adds the mark to an adopted record, keeping the operator's own remark. */
  private int mark(DnspodRecord r, long epoch) throws ProviderException {
    if (r.owned()) {
      return 0;
    }
    String remark =
        r.remark().isBlank()
            ? DnspodRecord.OWNER_MARK
            : r.remark().strip() + " " + DnspodRecord.OWNER_MARK;
    termGuard.check(epoch);
    api.remark(r, remark);
    DnspodRecord now = find(r.key(), r.id()).orElse(r);
    replace(
        now,
        new DnspodRecord(
            now.id(), now.name(), now.type(), now.value(), now.ttl(), now.line(), remark));
    return 1;
  }

  private Optional<DnspodRecord> find(RecordKey key, long id) {
    return records.getOrDefault(key, List.of()).stream().filter(r -> r.id() == id).findFirst();
  }

  private void replace(DnspodRecord old, DnspodRecord now) {
    List<DnspodRecord> list = new ArrayList<>(records.getOrDefault(old.key(), List.of()));
    list.removeIf(r -> r.id() == old.id());
    list.add(now);
    records.put(old.key(), list);
  }

  private void add(DnspodRecord r) {
    List<DnspodRecord> list = new ArrayList<>(records.getOrDefault(r.key(), List.of()));
    list.add(r);
    records.put(r.key(), list);
  }

  private void remove(DnspodRecord r) {
    List<DnspodRecord> list = new ArrayList<>(records.getOrDefault(r.key(), List.of()));
    list.removeIf(x -> x.id() == r.id());
    if (list.isEmpty()) {
      records.remove(r.key());
    } else {
      records.put(r.key(), list);
    }
  }

  private void refresh() throws ProviderException {
    try {
      List<DnspodRecord> all = new ArrayList<>(api.listRecords(RecordType.A));
      all.addAll(api.listRecords(RecordType.AAAA));
      Map<RecordKey, List<DnspodRecord>> grouped =
          all.stream()
              .collect(Collectors.groupingBy(DnspodRecord::key, TreeMap::new, Collectors.toList()));
      records = new TreeMap<>(foreign.sort(grouped));
    } catch (ProviderException e) {
      records = null;
      throw e;
    }
  }

  @Override
  public void close() {
    lifecycle.close();
  }
}
