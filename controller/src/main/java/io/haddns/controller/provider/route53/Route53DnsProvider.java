package io.haddns.controller.provider.route53;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ErrorContext;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.ProviderLifecycle;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.RequestPacers;
import io.haddns.controller.provider.TransientProviderException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Writes a zone to an Amazon Route 53 hosted zone through the AWS SDK.
 *
 * <p>Fencing (docs/architecture.md, "Fencing"): the zone holds {@code _haddns-fence.<zone> TXT
 * "epoch=N"}. {@link #claim(long)} swaps it by DELETE of the exact old value plus CREATE of the new
 * one in one atomic batch, and every batch {@link #apply} sends carries DELETE+CREATE of the fence
 * with the writer's epoch: after a newer claim that DELETE no longer matches, Route 53 refuses the
 * whole batch ({@code InvalidChangeBatch}) and the writer gets {@link FencedException}.
 *
 * <p>Ownership: a TXT record {@code _haddns-owner-<type>.<name>} per owned RRset, written in the
 * same batch (see {@link Route53Records}); {@link #ownedKeys()} reports them, and the reconciler
 * leaves records without one alone unless their record config says {@code adopt: true}. As a second
 * guard a delete of an existing record without the mark is refused: haddns never deletes a record
 * it did not write.
 *
 * <p>Batches respect Route 53's limits (see {@link ChangeBatches}); each batch is atomic, several
 * are not. A batch refused while the fence still holds the epoch (a stale view after a lost answer
 * or a concurrent edit) is re-planned once against a fresh listing, so retries are idempotent.
 * Requests are paced to at most five per second.
 *
 * <p>Threading: one caller at a time (see {@link DnsProvider}). The constructor does no I/O.
 */
public final class Route53DnsProvider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(Route53DnsProvider.class);
  static final int REQUESTS_PER_SECOND = RequestPacers.ROUTE53_REQUESTS_PER_SECOND;
  private static final int MAX_CLAIM_ATTEMPTS = 5;

  /**
   * How long an apply waits, from its first request, for all its changes to be INSYNC: with the
   * requests themselves it stays inside the 60 s limit of one call to a fencing backend.
   */
  static final Duration SYNC_TIMEOUT = Duration.ofSeconds(45);

  private final String zone;
  private final ProviderConfig.Route53 config;
  private final Route53Api api;
  private final Route53Records names;
  private final InstantSource clock;
  private final RequestPacer.Sleeper sleeper;
  private final Duration syncPoll;
  private final Map<RecordKey, ResourceRecordSet> records = new HashMap<>();
  private final Map<RecordKey, ResourceRecordSet> owners = new HashMap<>();
  private Optional<String> zoneId;
  private boolean listed;
  private final ProviderLifecycle lifecycle;

  public Route53DnsProvider(String zone, ProviderConfig.Route53 config, InstantSource clock) {
    this(zone, config, RequestPacer.realTime(REQUESTS_PER_SECOND), clock);
  }

  /**
   * @param pacer paces every API request; shared by the zones of one AWS account ({@link
   *     RequestPacers}), whose limit is {@value #REQUESTS_PER_SECOND} requests per second
   */
  public Route53DnsProvider(
      String zone, ProviderConfig.Route53 config, RequestPacer pacer, InstantSource clock) {
    this(
        zone,
        config,
        client(config, credentials(config)),
        pacer,
        clock,
        d -> Thread.sleep(d.toMillis()),
        Duration.ofSeconds(2));
  }

  Route53DnsProvider(
      String zone,
      ProviderConfig.Route53 config,
      Route53Client client,
      RequestPacer pacer,
      InstantSource clock,
      RequestPacer.Sleeper sleeper,
      Duration syncPoll) {
    this.zone = DnsNames.canonical(zone);
    this.lifecycle = new ProviderLifecycle("route53", this.zone);
    if (this.zone.isEmpty()) {
      throw new IllegalArgumentException("route53: zone name is empty");
    }
    this.config = config;
    this.api = new Route53Api(this.zone, client, pacer);
    this.names = new Route53Records(this.zone);
    this.clock = clock;
    this.sleeper = sleeper;
    this.syncPoll = syncPoll;
    this.zoneId = config.hostedZoneId();
  }

  static Route53Client client(ProviderConfig.Route53 config, AwsCredentialsProvider credentials) {
    Route53ClientBuilder b =
        Route53Client.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(credentials)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(config.timeout())
                    .socketTimeout(config.timeout())
                    .build())
            // Retries belong to ResilientDnsProvider, which honours retryAfter.
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(config.timeout()));
    config.endpoint().ifPresent(b::endpointOverride);
    return b.build();
  }

  private static AwsCredentialsProvider credentials(ProviderConfig.Route53 config) {
    return config
        .profile()
        .<AwsCredentialsProvider>map(
            p -> ProfileCredentialsProvider.builder().profileName(p).build())
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }

  @Override
  public String zone() {
    return zone;
  }

  @Override
  public boolean fencesWrites() {
    return true;
  }

  /** RRset changes per request when each carries one address: (1,000 - fence) / UPSERT's 2. */
  @Override
  public int maxChangesPerCall() {
    return (ChangeBatches.MAX_RECORDS - 2) / 2;
  }

  @Override
  public void claim(long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    String id = zoneId();
    for (int attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      Optional<ResourceRecordSet> current = api.readTxt(id, names.fenceName());
      Optional<Long> held = current.isEmpty() ? Optional.empty() : Optional.of(epochOf(current));
      if (held.isPresent() && held.get() == epoch) {
        return;
      }
      if (held.isPresent() && held.get() > epoch) {
        throw new FencedException(
            "route53 zone " + zone + ": fence holds epoch=" + held.get() + ", " + epoch + " stale");
      }
      List<software.amazon.awssdk.services.route53.model.Change> swap = new ArrayList<>();
      current.ifPresent(f -> swap.add(change(ChangeAction.DELETE, f)));
      swap.add(change(ChangeAction.CREATE, names.fence(epoch)));
      try {
        awaitAll(List.of(api.change(id, swap)), clock.instant().plus(SYNC_TIMEOUT));
        log.info(
            "zone={} route53 fence claimed epoch={} previous={}",
            zone,
            epoch,
            held.map(String::valueOf).orElse("none"));
        return;
      } catch (Route53Api.Rejected e) {
        log.info("zone={} route53 fence changed during claim of epoch={}", zone, epoch);
      }
    }
    throw new TransientProviderException(
        "route53 zone " + zone + ": fence kept changing while claiming epoch " + epoch);
  }

  @Override
  public List<RecordSet> list() throws ProviderException {
    lifecycle.requireOpen();
    refresh();
    return records.values().stream()
        .map(Route53Records::fromRoute53)
        .flatMap(Optional::stream)
        .sorted((a, b) -> a.key().compareTo(b.key()))
        .toList();
  }

  /** The keys of the RRsets that carried haddns' owner record at the last {@link #list()}. */
  public Set<RecordKey> ownedKeys() {
    return owners.keySet().stream().filter(records::containsKey).collect(Collectors.toSet());
  }

  @Override
  public void apply(List<Change> changes, long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    if (changes.isEmpty()) {
      return;
    }
    lifecycle.requireInZone(changes);
    String id = zoneId();
    if (!listed) {
      refresh();
    }
    int requests = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        requests += send(id, plan(changes), epoch);
        break;
      } catch (Route53Api.Rejected e) {
        Optional<ResourceRecordSet> fence = api.readTxt(id, names.fenceName());
        if (fence.isEmpty() || epochOf(fence) != epoch) {
          throw new FencedException(
              "route53 zone "
                  + zone
                  + ": the fence no longer holds epoch="
                  + epoch
                  + ", a newer leader has claimed the zone");
        }
        if (attempt == 2) {
          throw new PermanentProviderException(
              "route53 zone "
                  + zone
                  + ": InvalidChangeBatch: "
                  + e.getMessage()
                  + " ("
                  + ErrorContext.records(changes.stream().map(Change::key).toList())
                  + ")");
        }
        log.info("zone={} route53 batch refused on a stale view, re-listing", zone);
        refresh();
      }
    }
    log.info(
        "zone={} applied creates={} updates={} deletes={} requests={} epoch={}",
        zone,
        count(changes, Change.Create.class),
        count(changes, Change.Update.class),
        count(changes, Change.Delete.class),
        requests,
        epoch);
  }

  @Override
  public void close() {
    if (lifecycle.close()) {
      api.close();
    }
  }

  /** One haddns change as Route 53 changes: the RRset's and its owner record's. */
  private record Step(RecordKey key, Optional<ResourceRecordSet> record, boolean owned) {}

  private List<Step> plan(List<Change> changes) throws PermanentProviderException {
    List<Step> steps = new ArrayList<>();
    for (Change c : changes) {
      RecordKey key = c.key();
      ResourceRecordSet existing = records.get(key);
      boolean owned = owners.containsKey(key);
      if (c instanceof Change.Delete && existing != null && !owned) {
        throw new PermanentProviderException(
            "route53 zone "
                + zone
                + ": "
                + key
                + " exists without haddns' owner record "
                + Route53Records.ownerName(key)
                + "; haddns never deletes a record it did not write");
      }
      switch (c) {
        case Change.Create cr -> desired(steps, cr.desired(), existing, owned);
        case Change.Update u -> desired(steps, u.desired(), existing, owned);
        case Change.Delete d -> {
          if (existing != null || owned) {
            steps.add(new Step(key, Optional.empty(), owned));
          }
        }
      }
    }
    return steps;
  }

  private static void desired(
      List<Step> steps, RecordSet desired, ResourceRecordSet existing, boolean owned) {
    boolean same =
        existing != null
            && Route53Records.fromRoute53(existing).map(desired::sameContent).orElse(false);
    if (!(same && owned)) {
      steps.add(new Step(desired.key(), Optional.of(Route53Records.toRoute53(desired)), owned));
    }
  }

  private List<software.amazon.awssdk.services.route53.model.Change> toChanges(Step s) {
    List<software.amazon.awssdk.services.route53.model.Change> out = new ArrayList<>();
    if (s.record().isPresent()) {
      out.add(change(ChangeAction.UPSERT, s.record().get()));
      if (!s.owned()) {
        out.add(change(ChangeAction.UPSERT, Route53Records.owner(s.key())));
      }
    } else {
      ResourceRecordSet existing = records.get(s.key());
      if (existing != null) {
        out.add(change(ChangeAction.DELETE, existing));
      }
      if (s.owned()) {
        out.add(change(ChangeAction.DELETE, owners.get(s.key())));
      }
    }
    return out;
  }

  private int send(String id, List<Step> steps, long epoch)
      throws ProviderException, Route53Api.Rejected {
    if (steps.isEmpty()) {
      return 0;
    }
    List<software.amazon.awssdk.services.route53.model.Change> fence =
        List.of(
            change(ChangeAction.DELETE, names.fence(epoch)),
            change(ChangeAction.CREATE, names.fence(epoch)));
    List<List<software.amazon.awssdk.services.route53.model.Change>> groups = new ArrayList<>();
    for (Step s : steps) {
      groups.add(toChanges(s));
    }
    List<List<software.amazon.awssdk.services.route53.model.Change>> batches;
    try {
      batches = ChangeBatches.pack(groups, fence);
    } catch (IllegalArgumentException e) {
      throw new PermanentProviderException("route53 zone " + zone + ": " + e.getMessage());
    }
    Instant deadline = clock.instant().plus(SYNC_TIMEOUT);
    List<ChangeInfo> submitted = new ArrayList<>();
    for (List<software.amazon.awssdk.services.route53.model.Change> batch : batches) {
      try {
        submitted.add(api.change(id, batch));
      } catch (ProviderException e) {
        throw ErrorContext.append(
            e,
            " ("
                + ErrorContext.records(keys(batch))
                + "; after "
                + submitted.size()
                + " of "
                + batches.size()
                + " change batches)");
      }
      for (software.amazon.awssdk.services.route53.model.Change c : batch) {
        remember(c);
      }
    }
    awaitAll(submitted, deadline);
    return submitted.size();
  }

  /** The A/AAAA RRsets a batch writes, without the fence and owner records. */
  private static List<RecordKey> keys(
      List<software.amazon.awssdk.services.route53.model.Change> batch) {
    return batch.stream()
        .map(c -> Route53Records.fromRoute53(c.resourceRecordSet()))
        .flatMap(Optional::stream)
        .map(RecordSet::key)
        .toList();
  }

  /** Keeps the local view in step with what Route 53 accepted, so the next DELETE matches. */
  private void remember(software.amazon.awssdk.services.route53.model.Change c) {
    ResourceRecordSet rrset = c.resourceRecordSet();
    boolean delete = c.action() == ChangeAction.DELETE;
    Optional<RecordKey> owned = Route53Records.ownedKey(rrset);
    if (owned.isPresent()) {
      if (delete) {
        owners.remove(owned.get());
      } else {
        owners.put(owned.get(), rrset);
      }
      return;
    }
    Optional<RecordSet> rs = Route53Records.fromRoute53(rrset);
    if (rs.isPresent()) {
      if (delete) {
        records.remove(rs.get().key());
      } else {
        records.put(rs.get().key(), rrset);
      }
    }
  }

  /**
   * With {@code waitForSync}, polls the changes of all batches together until every one is INSYNC
   * or {@code deadline} passes (then a transient error; re-sending the same batches is idempotent).
   */
  private void awaitAll(List<ChangeInfo> submitted, Instant deadline) throws ProviderException {
    if (!config.waitForSync()) {
      return;
    }
    List<String> pending = new ArrayList<>();
    submitted.stream()
        .filter(i -> i.status() != ChangeStatus.INSYNC)
        .forEach(i -> pending.add(i.id()));
    while (!pending.isEmpty()) {
      if (!clock.instant().isBefore(deadline)) {
        throw new TransientProviderException(
            "route53 zone "
                + zone
                + ": changes "
                + pending
                + " not INSYNC within "
                + SYNC_TIMEOUT
                + " of the first of "
                + submitted.size()
                + " change batches");
      }
      try {
        sleeper.sleep(syncPoll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransientProviderException(
            "route53 zone " + zone + ": interrupted waiting for changes " + pending);
      }
      List<String> still = new ArrayList<>();
      for (String change : pending) {
        if (api.changeStatus(change) != ChangeStatus.INSYNC) {
          still.add(change);
        }
      }
      pending.retainAll(still);
    }
  }

  private void refresh() throws ProviderException {
    List<ResourceRecordSet> all = api.listAll(zoneId());
    records.clear();
    owners.clear();
    for (ResourceRecordSet s : all) {
      if (names.isFence(s)) {
        continue;
      }
      Optional<RecordKey> owned = Route53Records.ownedKey(s);
      if (owned.isPresent()) {
        owners.put(owned.get(), s);
        continue;
      }
      Route53Records.fromRoute53(s)
          .filter(rs -> DnsNames.isInZone(rs.key().name(), zone))
          .ifPresent(rs -> records.put(rs.key(), s));
    }
    listed = true;
  }

  private long epochOf(Optional<ResourceRecordSet> fence) throws PermanentProviderException {
    Optional<Long> e = Route53Records.fenceEpoch(fence.orElseThrow());
    if (e.isEmpty()) {
      throw new PermanentProviderException(
          "route53 zone "
              + zone
              + ": fence record "
              + names.fenceName()
              + " does not hold one \"epoch=N\"; delete or repair it");
    }
    return e.get();
  }

  private String zoneId() throws ProviderException {
    if (zoneId.isEmpty()) {
      zoneId = Optional.of(api.findHostedZone());
      log.info("zone={} route53 hosted zone id={}", zone, zoneId.get());
    }
    return zoneId.get();
  }

  private static software.amazon.awssdk.services.route53.model.Change change(
      ChangeAction action, ResourceRecordSet rrset) {
    return software.amazon.awssdk.services.route53.model.Change.builder()
        .action(action)
        .resourceRecordSet(rrset)
        .build();
  }

  private static long count(List<Change> changes, Class<? extends Change> kind) {
    return changes.stream().filter(kind::isInstance).count();
  }
}
