package io.haddns.controller.provider.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ErrorContext;
import io.haddns.controller.provider.ForeignRecords;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.ProviderLifecycle;
import io.haddns.controller.provider.RecordConvergence;
import io.haddns.controller.provider.RequestPacer;
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
 * Writes a zone through the Cloudflare API v4 ({@code provider: { type: cloudflare }}).
 *
 * <p>Cloudflare keeps one record object per address; an RRset is the group of A or AAAA records
 * with one name. {@link #apply} computes, per RRset, the record operations that make the zone hold
 * exactly the desired addresses (see {@link RecordOps}) against the records it last read, and sends
 * them in {@code POST /zones/{id}/dns_records/batch} calls of at most {@code batchSize} operations
 * (Cloudflare runs each batch in one database transaction; the documented limit is 200 operations
 * on the Free plan, 3,500 on paid plans). After a failed call the cached listing is dropped, so a
 * retry reads the zone again and writes the full desired state.
 *
 * <p>Ownership: records haddns writes carry the comment {@code managed-by=haddns}; {@link
 * #ownedKeys()} lists the RRsets whose records all carried it at the last read. An unmarked record
 * under a name that also holds haddns' marked records is left alone and reported unless the key is
 * adopted ({@link ForeignRecords}). The reconciler sends changes for a wholly unmarked RRset only
 * when it decided haddns owns it ({@code adopt: true}), and the write marks its records; deleting
 * an unmarked record fails with {@link PermanentProviderException}. The {@code proxied} flag of
 * existing records is never changed.
 *
 * <p>Fencing: Cloudflare has no conditional write, so {@link #fencesWrites()} is false and a stale
 * leader's in-flight call is only narrowed by the caller's term checks and time limit
 * (docs/architecture.md, "Fencing").
 *
 * <p>Threading: one caller at a time (see {@link DnsProvider}). Calls block for at most the
 * configured timeout per HTTP request. The constructor does no I/O.
 */
public final class CloudflareDnsProvider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(CloudflareDnsProvider.class);

  private final String zone;
  private final ProviderConfig.Cloudflare config;
  private final CloudflareApi api;
  private final ForeignRecords<CloudflareRecord> foreign;
  private Optional<String> zoneId;
  private Map<RecordKey, List<CloudflareRecord>> records;
  // The TTL each RRset was last written with: Cloudflare does not keep it for proxied records.
  private final Map<RecordKey, Long> requestedTtl = new java.util.HashMap<>();
  private final ProviderLifecycle lifecycle;

  /** A provider for which no record says {@code adopt: true}. */
  public CloudflareDnsProvider(String zone, ProviderConfig.Cloudflare config, InstantSource clock) {
    this(zone, config, Set.of(), clock);
  }

  /**
   * @param adopted the keys configured {@code adopt: true} (see {@link ForeignRecords})
   */
  public CloudflareDnsProvider(
      String zone, ProviderConfig.Cloudflare config, Set<RecordKey> adopted, InstantSource clock) {
    this(zone, config, adopted, RequestPacer.realTime(config.requestsPerSecond()), clock);
  }

  /**
   * @param adopted the keys configured {@code adopt: true} (see {@link ForeignRecords})
   * @param pacer paces every API request; shared by the zones of one token ({@link
   *     io.haddns.controller.provider.RequestPacers})
   */
  public CloudflareDnsProvider(
      String zone,
      ProviderConfig.Cloudflare config,
      Set<RecordKey> adopted,
      RequestPacer pacer,
      InstantSource clock) {
    this.zone = DnsNames.canonical(Objects.requireNonNull(zone, "zone"));
    this.lifecycle = new ProviderLifecycle("cloudflare", this.zone);
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    if (this.zone.isEmpty()) {
      throw new IllegalArgumentException("cloudflare zone name is empty");
    }
    this.api = new CloudflareApi(this.zone, config, clock, Objects.requireNonNull(pacer, "pacer"));
    this.foreign =
        new ForeignRecords<>(
            "cloudflare",
            this.zone,
            adopted,
            new ForeignRecords.Marking<>(
                "comment '" + CloudflareRecord.OWNER_MARK + "'",
                CloudflareRecord::owned,
                RecordOps::address,
                CloudflareRecord::toString));
    this.zoneId = config.zoneId();
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
    return config.batchSize();
  }

  /** Nothing to claim at the backend; resolves the zone id so that a bad token shows early. */
  @Override
  public void claim(long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    zoneId();
  }

  @Override
  public List<RecordSet> list() throws ProviderException {
    lifecycle.requireOpen();
    refresh();
    List<RecordSet> sets = new ArrayList<>();
    for (Map.Entry<RecordKey, List<CloudflareRecord>> e : records.entrySet()) {
      List<InetAddress> addresses = new ArrayList<>();
      e.getValue().forEach(r -> RecordOps.address(r).ifPresent(addresses::add));
      sets.add(new RecordSet(e.getKey(), ttl(e.getKey(), e.getValue()), addresses));
    }
    return sets;
  }

  /**
   * The TTL of an RRset as haddns compares it. Cloudflare serves proxied records with an automatic
   * TTL and reports 1 whatever was written, so only unproxied records count; an RRset of proxied
   * records only reports the TTL haddns last asked for (1 until this process has written it, which
   * costs one apply without a call).
   */
  private long ttl(RecordKey key, List<CloudflareRecord> recs) {
    return recs.stream()
        .filter(r -> !r.proxied())
        .mapToLong(CloudflareRecord::ttl)
        .min()
        .orElse(requestedTtl.getOrDefault(key, CloudflareRecord.AUTOMATIC_TTL));
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
    if (records == null) {
      refresh();
    }
    foreign.refuseUnmarkedDeletes(changes, records);
    List<List<RecordOps.Op>> groups = new ArrayList<>();
    for (Change c : changes) {
      Optional<RecordSet> desired = RecordConvergence.desired(c);
      desired.ifPresentOrElse(
          d -> requestedTtl.put(c.key(), d.ttl()), () -> requestedTtl.remove(c.key()));
      List<CloudflareRecord> current = records.getOrDefault(c.key(), List.of());
      List<RecordOps.Op> ops =
          RecordOps.plan(c.key(), desired, current, foreign.foreignAddresses(c.key()));
      if (!ops.isEmpty()) {
        groups.add(ops);
      }
    }
    List<List<RecordOps.Op>> calls = pack(groups, config.batchSize());
    int sent = 0;
    for (List<RecordOps.Op> call : calls) {
      try {
        JsonNode envelope = api.batch(zoneId(), body(call));
        remember(call, envelope);
      } catch (ProviderException e) {
        records = null;
        throw ErrorContext.append(
            e,
            " ("
                + ErrorContext.records(call.stream().map(RecordOps::key).toList())
                + "; after "
                + sent
                + " of "
                + calls.size()
                + " batch calls)");
      }
      sent++;
    }
    log.info(
        "zone={} applied changes={} batches={} epoch={} provider=cloudflare",
        zone,
        changes.size(),
        sent,
        epoch);
  }

  /** Packs whole RRsets into calls of at most {@code limit} operations; larger RRsets are split. */
  static List<List<RecordOps.Op>> pack(List<List<RecordOps.Op>> groups, int limit) {
    List<List<RecordOps.Op>> calls = new ArrayList<>();
    List<RecordOps.Op> call = new ArrayList<>();
    for (List<RecordOps.Op> group : groups) {
      if (!call.isEmpty() && call.size() + group.size() > limit) {
        calls.add(call);
        call = new ArrayList<>();
      }
      for (RecordOps.Op op : group) {
        if (call.size() == limit) {
          calls.add(call);
          call = new ArrayList<>();
        }
        call.add(op);
      }
    }
    if (!call.isEmpty()) {
      calls.add(call);
    }
    return calls;
  }

  /** The body of one batch call: {@code {deletes, patches, posts}}. */
  ObjectNode body(List<RecordOps.Op> call) {
    ObjectNode body = api.json().createObjectNode();
    ArrayNode deletes = body.putArray("deletes");
    ArrayNode patches = body.putArray("patches");
    ArrayNode posts = body.putArray("posts");
    for (RecordOps.Op op : call) {
      switch (op) {
        case RecordOps.Op.Delete d -> deletes.addObject().put("id", d.current().id());
        case RecordOps.Op.Patch p ->
            patches
                .addObject()
                .put("id", p.current().id())
                .put("type", p.current().type().name())
                .put("name", p.current().name())
                .put("content", p.address().getHostAddress())
                .put("ttl", p.ttl())
                .put("comment", p.comment());
        case RecordOps.Op.Post p ->
            posts
                .addObject()
                .put("type", p.key().type().name())
                .put("name", p.key().name())
                .put("content", p.address().getHostAddress())
                .put("ttl", p.ttl())
                .put("proxied", p.proxied())
                .put("comment", p.comment());
      }
    }
    return body;
  }

  /** Updates the cached listing from the records a batch answered with. */
  private void remember(List<RecordOps.Op> call, JsonNode envelope) {
    JsonNode result = envelope.path("result");
    if (!result.path("posts").isArray() || !result.path("patches").isArray()) {
      records = null;
      return;
    }
    Map<String, CloudflareRecord> byId = new java.util.LinkedHashMap<>();
    records.values().forEach(list -> list.forEach(r -> byId.put(r.id(), r)));
    for (RecordOps.Op op : call) {
      if (op instanceof RecordOps.Op.Delete d) {
        byId.remove(d.current().id());
      }
    }
    for (String kind : List.of("patches", "posts")) {
      for (JsonNode n : result.path(kind)) {
        CloudflareRecord.fromJson(n).ifPresent(r -> byId.put(r.id(), r));
      }
    }
    records = new TreeMap<>(group(List.copyOf(byId.values())));
    foreign.recount(records);
  }

  private void refresh() throws ProviderException {
    try {
      records = new TreeMap<>(foreign.sort(group(api.listRecords(zoneId()))));
    } catch (ProviderException e) {
      records = null;
      throw e;
    }
  }

  private Map<RecordKey, List<CloudflareRecord>> group(List<CloudflareRecord> all) {
    return all.stream()
        .filter(r -> DnsNames.isInZone(r.name(), zone))
        .collect(Collectors.groupingBy(CloudflareRecord::key, TreeMap::new, Collectors.toList()));
  }

  private String zoneId() throws ProviderException {
    if (zoneId.isEmpty()) {
      zoneId = Optional.of(api.zoneId());
      log.info("zone={} cloudflare zone id resolved", zone);
    }
    return zoneId.get();
  }

  @Override
  public void close() {
    lifecycle.close();
  }
}
