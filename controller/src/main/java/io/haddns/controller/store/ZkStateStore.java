package io.haddns.controller.store;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@link StateStore} on ZooKeeper (layout in {@link ZkPaths}, values as JSON).
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start()} starts the warm views and returns at
 * once even when ZooKeeper is unreachable (they fill once it connects; see {@link
 * #awaitPrimed(Duration)}); {@link #close()} stops them and removes this node's member entry. The
 * {@link ZkClient} is owned by the caller and must be started before and closed after the store.
 *
 * <p>Blocking calls (writes, {@link #beginTerm}, {@link #audit}, {@link #recentAudit}) wait at most
 * {@link StoreSettings#operationTimeout()} per ZooKeeper round trip and then throw {@link
 * StoreUnavailableException}. Must not be called from ZooKeeper's event thread. Thread-safe.
 */
public final class ZkStateStore implements StateStore, LineAddressStore {
  private static final Logger log = LoggerFactory.getLogger(ZkStateStore.class);
  private static final int BEGIN_TERM_ATTEMPTS = 10;
  private static final int LOGGED_RECORDS = 20;
  private static final Comparator<RecordKey> RECORD_ORDER =
      Comparator.comparing(RecordKey::name).thenComparing(RecordKey::type);

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final String nodeId;
  private final InstantSource clock;
  private final StoreCodec codec = new StoreCodec();
  private final ZkCall zk;
  private final StoreSettings settings;
  private final StoreViews views;
  private final RecentWrites recentWrites = new RecentWrites();
  private final FencedWrites writes;
  private final ExecutorService background =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("haddns-store").factory());
  private final AuditTrail auditTrail;
  private final AddressWrites addressWrites;
  private final ZkIntentStore intents;
  private final ConnectionStateListener onConnect = this::connectionChanged;
  private final TreeAccess treeAccess;
  private final boolean checksAccess;
  private final OutboxEvents outboxEvents;
  private final ZkOutbox outbox;
  private final ZkRefusals refusals;
  // The health this process last wrote per line: the warm view may not show it yet when the next
  // transition's notification needs the health before it.
  private final Map<String, LineHealth> healthWritten =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean skeletonReady;
  private volatile boolean accessVerified;
  private PersistentNode member;
  private String memberPath;

  public ZkStateStore(
      ZkClient client, ZkPaths paths, String nodeId, InstantSource clock, StoreSettings settings) {
    this(client, paths, nodeId, clock, settings, OutboxEvents.NONE);
  }

  /**
   * @param outboxEvents the notifications that leader writes store with their change
   */
  public ZkStateStore(
      ZkClient client,
      ZkPaths paths,
      String nodeId,
      InstantSource clock,
      StoreSettings settings,
      OutboxEvents outboxEvents) {
    this.outboxEvents = Objects.requireNonNull(outboxEvents, "outboxEvents");
    this.client = client.curator();
    this.checksAccess = !client.access().isOpen();
    this.paths = Objects.requireNonNull(paths, "paths");
    this.nodeId = ZkPaths.segment("node", nodeId);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.zk = new ZkCall(settings.operationTimeout());
    this.views = new StoreViews(this.client, paths, codec);
    this.writes = new FencedWrites(this.client, paths, zk, settings, views::cached);
    this.treeAccess = new TreeAccess(this.client, paths, client.access(), zk);
    this.auditTrail = new AuditTrail(this.client, paths, codec, zk, settings, clock, background);
    this.outbox = new ZkOutbox(this.client, paths, zk, settings, clock);
    this.refusals = new ZkRefusals(this.client, paths, zk, settings);
    this.intents =
        new ZkIntentStore(
            this.client,
            paths,
            zk,
            auditTrail,
            this::ensureSkeleton,
            (epoch, event) -> outboxAppends(epoch, new OutboxEvents.Audited(event)));
    this.addressWrites =
        new AddressWrites(
            this.client,
            paths,
            codec,
            zk,
            clock,
            settings,
            this::ensureSkeleton,
            () -> skeletonReady = false,
            reporters -> {});
  }

  /** Starts the warm views; never blocks on ZooKeeper. */
  public void start() {
    client.getConnectionStateListenable().addListener(onConnect);
    views.start();
    intents.start();
    if (client.getZookeeperClient().isConnected()) {
      background.execute(this::ensureSkeletonQuietly);
    }
  }

  /**
   * Operators' intents (overrides, pauses, step-down requests) in this store's tree, with the same
   * lifecycle as the store.
   */
  public IntentStore intents() {
    return intents;
  }

  /** Failover drills in this store's tree, with the same lifecycle as the store. */
  public DrillStore drills() {
    return intents;
  }

  /** The notification outbox and dead letters in this store's tree (docs/notifications.md). */
  public ZkOutbox outbox() {
    return outbox;
  }

  /** True once every view has loaded its initial content from ZooKeeper. */
  public boolean isPrimed() {
    return views.isPrimed();
  }

  /** Waits up to {@code timeout} for {@link #isPrimed()}; false if it did not happen in time. */
  public boolean awaitPrimed(Duration timeout) {
    return views.awaitPrimed(timeout);
  }

  /**
   * Calls {@code listener} on {@code executor} whenever views change (coalesced, never concurrently
   * with itself). The warm views already show the change when it is called.
   */
  @Override
  public void addListener(StoreView.Listener listener, Executor executor) {
    views.addListener(Objects.requireNonNull(listener), Objects.requireNonNull(executor));
  }

  /**
   * Makes sure nobody but the cluster's identity may change the cluster's tree (see {@link
   * ZkAccess}), re-securing a tree left open by an older version when the access allows it. Done
   * once per store; a no-op when no authentication is configured. Blocking.
   *
   * @throws OpenTreeException naming the open node, its ACL and the fix
   * @throws StoreUnavailableException when ZooKeeper cannot be reached
   */
  public void verifyAccess() {
    if (!checksAccess || accessVerified) {
      return;
    }
    ensureSkeleton();
    treeAccess.verify();
    accessVerified = true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Refused with {@link OpenTreeException} while the tree is open to others: a leader writing
   * DNS from state anyone could have forged would publish the forgery.
   */
  @Override
  public long beginTerm(String latchNodePath) throws NotLeaderException {
    ensureSkeleton();
    verifyAccess();
    // The epoch this node's view last saw is nearly always current (a takeover follows the term it
    // watched): the first attempt uses it, a round trip sooner than after reading it. The version
    // check makes a stale one fail like any concurrent bump, and the next attempt reads.
    long seen = views.epoch();
    for (int attempt = 1; attempt <= BEGIN_TERM_ATTEMPTS; attempt++) {
      boolean guessed = attempt == 1 && seen > 0;
      int version;
      if (guessed) {
        version = (int) seen;
      } else {
        CuratorEvent read =
            zk.call(
                "epoch read", cb -> client.checkExists().inBackground(cb).forPath(paths.epoch()));
        if (read.getStat() == null) {
          skeletonReady = false;
          ensureSkeleton();
          continue;
        }
        version = read.getStat().getVersion();
      }
      byte[] data = codec.encodeEpoch(nodeId, clock.instant());
      List<CuratorOp> ops = beginTermOps(latchNodePath, version, data);
      CuratorEvent result =
          zk.call("begin term", cb -> client.transaction().inBackground(cb).forOperations(ops));
      Code code = ZkCall.code(result);
      if (code == Code.OK) {
        long epoch = result.getOpResults().get(1).getResultStat().getVersion();
        log.info("epoch={} term begun node={}", epoch, nodeId);
        return epoch;
      }
      if (result.getOpResults() != null && result.getOpResults().get(0).getError() != 0) {
        throw new NotLeaderException(
            "latch node " + latchNodePath + " is gone (" + code + "): not the leader");
      }
      if (code != Code.BADVERSION && !(guessed && code == Code.NONODE)) {
        throw new StoreUnavailableException(
            "begin term failed: " + code, org.apache.zookeeper.KeeperException.create(code));
      }
      // Another writer bumped the epoch between our read and our transaction; our latch node
      // still existed when the check ran, so read again.
    }
    throw new StoreUnavailableException(
        "begin term: epoch kept changing over " + BEGIN_TERM_ATTEMPTS + " attempts", null);
  }

  private List<CuratorOp> beginTermOps(String latchNodePath, int version, byte[] data) {
    TransactionOp tx = client.transactionOp();
    try {
      return List.of(
          tx.check().forPath(latchNodePath),
          tx.setData().withVersion(version).forPath(paths.epoch(), data));
    } catch (Exception e) {
      throw new IllegalArgumentException("begin term: invalid latch path " + latchNodePath, e);
    }
  }

  @Override
  public long currentEpoch() {
    return views.epoch();
  }

  /** The node that began the latest term this node's view has seen, if any. */
  public Optional<String> termHolder() {
    return views.termHolder();
  }

  @Override
  public void putHealth(long epoch, LineHealth health) throws NotLeaderException {
    ensureSkeleton();
    writes.apply(
        epoch,
        List.of(
            new FencedWrites.Upsert(
                paths.lineHealth(health.line()), paths.line(health.line()), codec.encode(health))));
  }

  @Override
  public void putHealth(long epoch, LineHealth health, AuditEvent event) throws NotLeaderException {
    putHealth(epoch, List.of(new HealthChange(health, event)));
  }

  @Override
  public void putHealth(long epoch, List<HealthChange> changes) throws NotLeaderException {
    if (changes.isEmpty()) {
      return;
    }
    ensureSkeleton();
    Set<String> lines = new HashSet<>();
    List<FencedWrites.Together> units = new ArrayList<>(changes.size());
    for (HealthChange c : changes) {
      LineHealth health = c.health();
      if (!lines.add(health.line())) {
        throw new IllegalArgumentException("line " + health.line() + " changed twice in one write");
      }
      List<FencedWrites.Mutation> unit = new ArrayList<>();
      unit.add(
          new FencedWrites.Upsert(
              paths.lineHealth(health.line()), paths.line(health.line()), codec.encode(health)));
      unit.add(auditTrail.entry(c.event()));
      unit.addAll(
          outboxAppends(epoch, new OutboxEvents.HealthChanged(healthBefore(health), health)));
      units.add(new FencedWrites.Together(unit));
    }
    writes.apply(epoch, units);
    for (HealthChange c : changes) {
      healthWritten.put(c.health().line(), c.health());
    }
    auditTrail.appended(changes.size());
  }

  private LineHealth healthBefore(LineHealth next) {
    LineHealth seen = views.health(next.line()).orElse(null);
    LineHealth written = healthWritten.get(next.line());
    if (written == null || (seen != null && seen.epoch() > written.epoch())) {
      return seen;
    }
    return written;
  }

  @Override
  public Map<String, LineHealth> health() {
    return views.health();
  }

  @Override
  public void putApplied(
      long epoch, Collection<AppliedRecord> upserts, Collection<RecordKey> removals)
      throws NotLeaderException {
    ensureSkeleton();
    // What is known of the names written (every type: a name node holds all its records) and of
    // the keys removed; not a copy of every applied record per batch.
    Set<RecordKey> looked = new HashSet<>(removals);
    for (AppliedRecord a : upserts) {
      for (RecordType type : RecordType.values()) {
        looked.add(new RecordKey(a.record().key().name(), type));
      }
    }
    Map<RecordKey, AppliedRecord> known = recentWrites.overlay(epoch, views::applied, looked);
    Set<RecordKey> removed = Set.copyOf(removals);
    // The known records by name, once: looking them up per written name keeps a batch linear in
    // its records.
    Map<String, Map<RecordKey, AppliedRecord>> knownByName = new HashMap<>();
    known.forEach(
        (key, a) -> knownByName.computeIfAbsent(key.name(), n -> new HashMap<>()).put(key, a));
    List<FencedWrites.Mutation> mutations = new ArrayList<>(upserts.size() + removals.size());
    for (List<AppliedRecord> name : byName(upserts)) {
      mutations.add(nameWrite(name, knownByName, removed));
    }
    Set<String> zones = new TreeSet<>();
    upserts.forEach(a -> zones.add(a.zone()));
    for (RecordKey key : removals) {
      mutations.add(new FencedWrites.Remove(paths.record(key)));
      AppliedRecord was = known.get(key);
      if (was != null) {
        zones.add(was.zone());
      }
    }
    // Last, so that in a batch cut into several transactions the serial and the notifications
    // move with the final one.
    for (String zone : zones) {
      mutations.add(new FencedWrites.Upsert(paths.serial(zone), paths.serials(), new byte[0]));
    }
    mutations.addAll(recordChanges(epoch, upserts, removals, known));
    writes.apply(epoch, mutations);
    recentWrites.committed(epoch, upserts, removals);
    logApplied(upserts, removals, known);
  }

  /**
   * One line per changed record, the first {@value #LOGGED_RECORDS} of a batch, with the record in
   * the MDC (the {@code record} field of JSON logs; docs/operations.md, "Logs"), then a count.
   */
  private static void logApplied(
      Collection<AppliedRecord> upserts,
      Collection<RecordKey> removals,
      Map<RecordKey, AppliedRecord> known) {
    int changed = 0;
    for (AppliedRecord a : upserts) {
      AppliedRecord was = known.get(a.record().key());
      if (was == null || !was.record().equals(a.record())) {
        if (changed++ < LOGGED_RECORDS) {
          logApplied(
              a.record().key(),
              a.zone(),
              was == null ? "none" : hosts(was.record()),
              hosts(a.record()));
        }
      }
    }
    for (RecordKey key : removals) {
      AppliedRecord was = known.get(key);
      if (was != null && changed++ < LOGGED_RECORDS) {
        logApplied(key, was.zone(), hosts(was.record()), "none");
      }
    }
    if (changed > LOGGED_RECORDS) {
      log.info("records applied: {} more not logged one by one", changed - LOGGED_RECORDS);
    }
  }

  @SuppressWarnings("try") // the try-with-resources resource is an MDC scope, never read
  private static void logApplied(RecordKey key, String zone, String before, String after) {
    try (var record = MDC.putCloseable("record", key.toString())) {
      log.info("record={} zone={} applied {} -> {}", key, zone, before, after);
    }
  }

  private static String hosts(RecordSet r) {
    return r.addresses().isEmpty()
        ? "none"
        : String.join(
            ",", r.addresses().stream().map(java.net.InetAddress::getHostAddress).toList());
  }

  private List<FencedWrites.Mutation> recordChanges(
      long epoch,
      Collection<AppliedRecord> upserts,
      Collection<RecordKey> removals,
      Map<RecordKey, AppliedRecord> known) {
    if (outboxEvents == OutboxEvents.NONE) {
      return List.of();
    }
    List<FencedWrites.Mutation> out = new ArrayList<>();
    for (AppliedRecord a : upserts) {
      AppliedRecord was = known.get(a.record().key());
      if (was == null || !was.record().equals(a.record())) {
        out.addAll(
            outboxAppends(
                epoch,
                new OutboxEvents.RecordChanged(
                    a.zone(), was == null ? null : was.record(), a.record())));
      }
    }
    for (RecordKey key : removals) {
      AppliedRecord was = known.get(key);
      if (was != null) {
        out.addAll(
            outboxAppends(epoch, new OutboxEvents.RecordChanged(was.zone(), was.record(), null)));
      }
    }
    return out;
  }

  private List<FencedWrites.Append> outboxAppends(long epoch, OutboxEvents.Cause cause) {
    List<FencedWrites.Append> out = new ArrayList<>();
    for (byte[] entry : outboxEvents.entries(epoch, cause)) {
      out.add(new FencedWrites.Append(paths.outboxEntryPrefix(clock.millis()), entry));
    }
    return out;
  }

  private static Collection<List<AppliedRecord>> byName(Collection<AppliedRecord> upserts) {
    Map<String, List<AppliedRecord>> byName = new LinkedHashMap<>();
    for (AppliedRecord a : upserts) {
      byName.computeIfAbsent(a.record().key().name(), n -> new ArrayList<>()).add(a);
    }
    return byName.values();
  }

  /**
   * One name's records in one transaction with its name node: the name node and every record kept
   * under it (the verified ones not written now are written again unchanged) then share one
   * modification zxid, which is what the views require before serving a record (see {@code
   * StoreViews}). A record written any other way, such as by a lone {@code set}, is not served.
   */
  private FencedWrites.Together nameWrite(
      List<AppliedRecord> written,
      Map<String, Map<RecordKey, AppliedRecord>> knownByName,
      Set<RecordKey> removed) {
    String name = written.get(0).record().key().name();
    List<FencedWrites.Mutation> unit = new ArrayList<>();
    unit.add(new FencedWrites.Stamp(paths.recordName(name), new byte[0]));
    Map<RecordKey, AppliedRecord> under = new TreeMap<>(RECORD_ORDER);
    knownByName
        .getOrDefault(name, Map.of())
        .forEach(
            (key, a) -> {
              if (!removed.contains(key)) {
                under.put(key, a);
              }
            });
    written.forEach(a -> under.put(a.record().key(), a));
    under.forEach(
        (key, a) ->
            unit.add(
                new FencedWrites.Upsert(
                    paths.record(key), paths.recordName(name), codec.encode(a))));
    return new FencedWrites.Together(unit);
  }

  @Override
  public long zoneSerial(String zone) {
    return views.serial(zone);
  }

  /**
   * {@inheritDoc} Not fenced: any node may call it. Asynchronous: a failure (no connection) is
   * logged and dropped, as the next change advances the serial again.
   */
  @Override
  public void advanceSerial(String zone) {
    String path = paths.serial(zone);
    try {
      client
          .setData()
          .inBackground(
              (c, event) -> {
                Code code = ZkCall.code(event);
                if (code == Code.NONODE) {
                  c.create()
                      .creatingParentsIfNeeded()
                      .inBackground(
                          (c2, created) ->
                              log.debug("zone={} serial created: {}", zone, ZkCall.code(created)))
                      .forPath(path, new byte[0]);
                } else if (code != Code.OK) {
                  log.warn("zone={} serial not advanced: {}", zone, code);
                }
              })
          .forPath(path, new byte[0]);
    } catch (Exception e) {
      log.warn("zone={} serial not advanced: {}", zone, e.toString());
    }
  }

  @Override
  public Optional<AppliedRecord> applied(RecordKey key) {
    return views.applied(key);
  }

  @Override
  public Map<RecordKey, AppliedRecord> applied() {
    return views.applied();
  }

  /** {@inheritDoc} Not fenced: any node may call it. */
  @Override
  public AddressCommit putLineAddress(AddressSubmission submission) {
    return addressWrites.put(submission);
  }

  /**
   * {@inheritDoc} Not fenced: any node may call it. Group-committed with the reports other callers
   * submitted meanwhile (one ZooKeeper transaction for many; see {@code AddressWrites}).
   */
  @Override
  public CompletableFuture<AddressCommit> submitLineAddress(AddressSubmission submission) {
    return addressWrites.submit(submission);
  }

  /**
   * Resets the replay protection of reporter {@code agentId} by deleting {@code agents/<id>}: its
   * next report is accepted whatever its sequence (e.g. after a report signed with a sequence far
   * ahead was committed). An operator's act; any node may call it, leader or not. The line's
   * addresses stay as they are. Safe with the commit threads' remembered versions: a write
   * conditioned on the deleted node fails and is decided again on what ZooKeeper holds.
   *
   * @return whether there was a node to delete
   * @throws StoreUnavailableException when ZooKeeper cannot be reached in time
   */
  public boolean resetAgentSequence(String agentId) {
    String path = paths.agent(agentId);
    CuratorEvent e = zk.call("agent reset", cb -> client.delete().inBackground(cb).forPath(path));
    Code code = ZkCall.code(e);
    if (code == Code.NONODE) {
      return false;
    }
    if (code != Code.OK) {
      throw new StoreUnavailableException(
          "agent reset " + path + ": " + code, org.apache.zookeeper.KeeperException.create(code));
    }
    log.info("agent={} sequence reset: {} deleted", agentId, path);
    return true;
  }

  @Override
  public Map<String, LineAddressState> lineAddresses() {
    return views.addresses();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Blocks until committed (at most the operation timeout); throws {@link
   * StoreUnavailableException} when ZooKeeper cannot be reached.
   */
  @Override
  public void audit(AuditEvent event) {
    ensureSkeleton();
    auditTrail.append(event);
  }

  /**
   * {@inheritDoc}
   *
   * <p>As few nodes (a batch of events each) in as few multi-op transactions as the size limits
   * allow; blocks until committed (at most the operation timeout per transaction) and throws {@link
   * StoreUnavailableException} when ZooKeeper cannot be reached.
   */
  @Override
  public void audit(List<AuditEvent> events) {
    ensureSkeleton();
    auditTrail.appendAll(events);
  }

  /** {@inheritDoc} One transaction with the epoch check; blocks like every leader write. */
  @Override
  public void audit(long epoch, AuditEvent event) throws NotLeaderException {
    auditFenced(epoch, event, List.of());
  }

  /**
   * As {@link #audit(long, AuditEvent)}, and in the same transaction the marker {@code
   * abuse-notices/<notice>} that {@link #refusals()} lists, so the leader, and the next one, store
   * the event of a gateway-abuse notice once.
   */
  public void auditNotice(long epoch, AuditEvent event, String notice) throws NotLeaderException {
    auditFenced(
        epoch,
        event,
        List.of(
            new FencedWrites.Upsert(paths.abuseNotice(notice), paths.abuseNotices(), new byte[0])));
  }

  private void auditFenced(long epoch, AuditEvent event, List<FencedWrites.Mutation> with)
      throws NotLeaderException {
    ensureSkeleton();
    List<FencedWrites.Mutation> unit = new ArrayList<>();
    unit.add(auditTrail.entry(event));
    unit.addAll(outboxAppends(epoch, new OutboxEvents.Audited(event)));
    unit.addAll(with);
    writes.apply(epoch, List.of(new FencedWrites.Together(unit)));
    auditTrail.appended(1);
  }

  /** The nodes' gateway refusal summaries and the abuse notices stored (docs/notifications.md). */
  public ZkRefusals refusals() {
    return refusals;
  }

  @Override
  public List<AuditEvent> recentAudit(int limit) {
    return auditTrail.recent(limit);
  }

  /** Trims the audit trail now (also done every {@value AuditTrail#TRIM_EVERY} appends). */
  public void trimAudit() {
    auditTrail.trim();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns at once; the node appears once connected and is re-created by Curator's {@link
   * PersistentNode} after a session loss. Calling again replaces the registered content.
   */
  @Override
  public synchronized void registerMember(MemberInfo info) {
    byte[] data = codec.encode(info);
    String path = paths.member(info.nodeId());
    if (member != null && path.equals(memberPath)) {
      try {
        member.setData(data);
        return;
      } catch (Exception e) {
        log.warn("member node={} update failed, re-registering: {}", info.nodeId(), e.getMessage());
      }
    }
    closeMember();
    member = new PersistentNode(client, CreateMode.EPHEMERAL, false, path, data);
    memberPath = path;
    member.start();
  }

  @Override
  public List<MemberInfo> members() {
    return views.members();
  }

  @Override
  public synchronized void close() {
    client.getConnectionStateListenable().removeListener(onConnect);
    closeMember();
    addressWrites.close();
    intents.close();
    views.close();
    background.shutdownNow();
  }

  // PersistentNode.close() deletes in the foreground with Curator's retries; without a
  // connection that could take long, and the ephemeral node goes with the session anyway.
  private void closeMember() {
    if (member == null) {
      return;
    }
    PersistentNode closing = member;
    member = null;
    Future<?> done =
        background.submit(
            () -> {
              try {
                closing.close();
              } catch (IOException e) {
                log.warn("member node={} close failed: {}", nodeId, e.getMessage());
              }
            });
    try {
      done.get(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "member node={} not removed within {}: left to session expiry",
          nodeId,
          settings.operationTimeout());
    } catch (ExecutionException e) {
      log.warn("member node={} close failed: {}", nodeId, e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void connectionChanged(CuratorFramework c, ConnectionState state) {
    if (state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED) {
      background.execute(this::ensureSkeletonQuietly);
    }
  }

  private void ensureSkeletonQuietly() {
    try {
      ensureSkeleton();
    } catch (StoreUnavailableException e) {
      log.warn("store layout creation postponed: {}", e.getMessage());
    }
  }

  /** Creates the fixed layout nodes once; idempotent, and cheap after the first success. */
  private void ensureSkeleton() {
    if (skeletonReady) {
      return;
    }
    List<ZkCall.Op> creates = new ArrayList<>();
    for (String path : paths.layout()) {
      byte[] data =
          path.equals(paths.epoch()) ? codec.encodeEpoch("", clock.instant()) : new byte[0];
      creates.add(
          cb -> client.create().creatingParentsIfNeeded().inBackground(cb).forPath(path, data));
    }
    for (CuratorEvent e : zk.callAll("store layout", creates)) {
      Code code = ZkCall.code(e);
      if (code != Code.OK && code != Code.NODEEXISTS) {
        throw new StoreUnavailableException(
            "store layout: " + e.getPath() + " " + code,
            org.apache.zookeeper.KeeperException.create(code));
      }
    }
    skeletonReady = true;
  }
}
