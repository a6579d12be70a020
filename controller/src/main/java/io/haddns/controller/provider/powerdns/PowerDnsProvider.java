package io.haddns.controller.provider.powerdns;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ErrorContext;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.ProviderLifecycle;
import io.haddns.controller.provider.TermGuard;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a zone through the PowerDNS Authoritative HTTP API ({@code provider: { type: powerdns }}).
 *
 * <p>Writes: {@link #apply} sends {@code PATCH} requests of at most {@code batchSize} RRsets, each
 * RRset as {@code changetype: REPLACE} with its full records and haddns' mark comment, or {@code
 * DELETE}. PowerDNS applies one PATCH in one backend transaction (all RRsets or none; a refused
 * RRset answers 422 and nothing changes); several PATCHes are not atomic together. Every write is
 * full desired state, so a retry after a partial failure converges.
 *
 * <p>Ownership: RRsets haddns writes carry the comment {@code managed-by=haddns} (account {@code
 * haddns}); {@link #ownedKeys()} reports the marked keys seen by the last {@link #list()}, which
 * the reconciler uses to tell haddns' records from foreign ones (it leaves foreign records alone
 * unless their record config says {@code adopt: true}). As a second guard, an apply that deletes
 * first reads the zone and refuses, with {@link PermanentProviderException} naming them, to delete
 * A/AAAA RRsets that exist without the mark: haddns never deletes a record it did not write. That
 * read and the PATCH are not atomic.
 *
 * <p>Fencing (docs/architecture.md, "Fencing"): the API has no conditional write, so {@link
 * #fencesWrites()} is false. The window is narrowed: the {@link TermGuard} is asked right before
 * every request, each request is bounded by {@code timeout}, and only full RRsets are written. A
 * stale leader can still complete a PATCH it sent before the new term began.
 *
 * <p>Threading: one caller at a time (see {@link DnsProvider}); {@link #ownedKeys()} may be read
 * from any thread. The constructor does no I/O.
 */
public final class PowerDnsProvider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(PowerDnsProvider.class);

  private final String zone;
  private final ProviderConfig.PowerDns config;
  private final TermGuard termGuard;
  private final RrsetJson mapping;
  private final PowerDnsApi api;
  private volatile Set<RecordKey> owned = Set.of();
  private volatile Set<RecordKey> foreign = Set.of();
  private final ProviderLifecycle lifecycle;

  /**
   * @param termGuard asked before every write whether {@code epoch} is still the current term
   * @throws IllegalArgumentException naming the zone for an empty zone name, batch size below 1 or
   *     a timeout that is not positive
   */
  public PowerDnsProvider(String zone, ProviderConfig.PowerDns config, TermGuard termGuard) {
    this(zone, config, termGuard, Optional.empty());
  }

  /** With {@code exchange} answering instead of the server; for tests. */
  PowerDnsProvider(
      String zone,
      ProviderConfig.PowerDns config,
      TermGuard termGuard,
      Optional<PowerDnsApi.Exchange> exchange) {
    this.zone = DnsNames.canonical(Objects.requireNonNull(zone, "zone"));
    this.lifecycle = new ProviderLifecycle("", this.zone);
    this.config = Objects.requireNonNull(config, "config");
    this.termGuard = Objects.requireNonNull(termGuard, "termGuard");
    validate(this.zone, config);
    ObjectMapper json = new ObjectMapper();
    this.mapping = new RrsetJson(json, this.zone);
    this.api = new PowerDnsApi(this.zone, config, json, new ApiAnswers(json, this.zone), exchange);
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

  @Override
  public int maxChangesPerCall() {
    return config.batchSize();
  }

  /** Writes nothing (there is no fence record to swap); refuses an epoch older than the term. */
  @Override
  public void claim(long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    termGuard.check(epoch);
  }

  @Override
  public List<RecordSet> list() throws ProviderException {
    lifecycle.requireOpen();
    ZoneContent content = read();
    return content.recordSets();
  }

  /** Keys whose RRset carried haddns' mark at the last {@link #list()} (or were written since). */
  public Set<RecordKey> ownedKeys() {
    return owned;
  }

  /** Keys of A/AAAA RRsets without the mark at the last {@link #list()} or {@link #apply}. */
  public Set<RecordKey> foreignKeys() {
    return foreign;
  }

  @Override
  public void apply(List<Change> changes, long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    if (changes.isEmpty()) {
      return;
    }
    lifecycle.requireInZoneOncePerKey(changes);
    if (changes.stream().anyMatch(c -> c instanceof Change.Delete)) {
      termGuard.check(epoch);
      refuseForeignDeletes(read(), changes);
    }
    int calls = (changes.size() + config.batchSize() - 1) / config.batchSize();
    for (int i = 0; i < calls; i++) {
      List<Change> batch =
          changes.subList(
              i * config.batchSize(), Math.min(changes.size(), (i + 1) * config.batchSize()));
      String what = "PATCH " + (i + 1) + "/" + calls + " (" + batch.size() + " RRsets)";
      try {
        termGuard.check(epoch);
        api.patch(mapping.patchBody(batch), what);
      } catch (ProviderException e) {
        throw ErrorContext.append(
            e,
            " ("
                + ErrorContext.records(batch.stream().map(Change::key).toList())
                + ") ["
                + i
                + " of "
                + calls
                + " PATCH requests were applied]");
      }
      recordWritten(batch);
    }
    log.info(
        "zone={} applied creates={} updates={} deletes={} patches={} epoch={}",
        zone,
        count(changes, Change.Create.class),
        count(changes, Change.Update.class),
        count(changes, Change.Delete.class),
        calls,
        epoch);
  }

  @Override
  public void close() {
    lifecycle.close();
    api.close();
  }

  private ZoneContent read() throws ProviderException {
    ZoneContent content = mapping.parseZone(api.getZone());
    owned = content.owned();
    Set<RecordKey> unmarked = new HashSet<>(content.present());
    unmarked.removeAll(content.owned());
    foreign = Set.copyOf(unmarked);
    return content;
  }

  private void refuseForeignDeletes(ZoneContent now, List<Change> changes)
      throws PermanentProviderException {
    List<RecordKey> refused =
        changes.stream()
            .filter(c -> c instanceof Change.Delete)
            .map(Change::key)
            .filter(now::isForeign)
            .sorted()
            .toList();
    if (!refused.isEmpty()) {
      log.warn("zone={} foreign records left untouched: {}", zone, refused);
      throw new PermanentProviderException(
          "zone "
              + zone
              + ": "
              + refused
              + " exist at PowerDNS without haddns' mark (comment '"
              + RrsetJson.MARK
              + "'); haddns never deletes a record it did not write; nothing was applied");
    }
  }

  private void recordWritten(List<Change> batch) {
    Set<RecordKey> o = new HashSet<>(owned);
    Set<RecordKey> f = new HashSet<>(foreign);
    for (Change c : batch) {
      f.remove(c.key());
      if (c instanceof Change.Delete) {
        o.remove(c.key());
      } else {
        o.add(c.key());
      }
    }
    owned = Set.copyOf(o);
    foreign = Set.copyOf(f);
  }

  private static long count(List<Change> changes, Class<? extends Change> kind) {
    return changes.stream().filter(kind::isInstance).count();
  }

  private static void validate(String zone, ProviderConfig.PowerDns config) {
    if (zone.isEmpty()) {
      throw new IllegalArgumentException("zone name is empty");
    }
    if (config.batchSize() < 1) {
      throw new IllegalArgumentException(
          "zone " + zone + ": powerdns batchSize must be at least 1: " + config.batchSize());
    }
    if (config.timeout().isNegative() || config.timeout().isZero()) {
      throw new IllegalArgumentException(
          "zone " + zone + ": powerdns timeout must be positive: " + config.timeout());
    }
  }
}
