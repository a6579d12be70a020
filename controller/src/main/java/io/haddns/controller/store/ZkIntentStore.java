package io.haddns.controller.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link IntentStore} and {@link DrillStore} on ZooKeeper: {@code overrides/<line>}, {@code
 * pauses/<zone>}, {@code stepdown} and {@code drills/<id>} (see {@link ZkPaths}), each write one
 * multi-op transaction with its audit entry. The views are {@link CuratorCache}s whose whole
 * content is decoded again on every change (intents are few), so a rebuilt cache after a
 * reconnection never leaves a deleted intent behind.
 *
 * <p>Lifecycle is its owner's ({@link ZkStateStore}): {@link #start()} and {@link #close()}.
 */
final class ZkIntentStore implements IntentStore, DrillStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ZkIntentStore.class);

  /** How long a write waits for this node's own view to show it (read-your-writes). */
  private static final Duration VIEW_WAIT = Duration.ofSeconds(2);

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final ZkCall zk;
  private final AuditTrail audit;
  private final Runnable ensureSkeleton;
  private final FencedOutbox outbox;
  private final IntentCodec codec = new IntentCodec();
  private final DrillCodec drillCodec = new DrillCodec();
  private final List<Subscription> listeners = new CopyOnWriteArrayList<>();
  private final List<Subscription> drillListeners = new CopyOnWriteArrayList<>();
  private final List<CuratorCache> caches = new ArrayList<>();
  private volatile Map<String, Versioned<LineOverride>> overrides = Map.of();
  private volatile Map<String, Versioned<ZonePause>> pauses = Map.of();
  private volatile Optional<StepDownRequest> stepDown = Optional.empty();
  private volatile Map<String, Versioned<Drill>> drills = Map.of();
  private volatile int drillsVersion = Versioned.ABSENT;
  // Notified after every refresh of the views, for writers waiting to see their own write.
  private final Object viewsRefreshed = new Object();

  private record Subscription(Runnable listener, Executor executor) {}

  /**
   * The outbox entries a leader's write adds for its audit event (docs/notifications.md), written
   * in the same fenced transaction.
   */
  @FunctionalInterface
  interface FencedOutbox {
    List<FencedWrites.Append> entries(long epoch, AuditEvent event);
  }

  ZkIntentStore(
      CuratorFramework client,
      ZkPaths paths,
      ZkCall zk,
      AuditTrail audit,
      Runnable ensureSkeleton,
      FencedOutbox outbox) {
    this.client = client;
    this.paths = paths;
    this.zk = zk;
    this.audit = audit;
    this.ensureSkeleton = ensureSkeleton;
    this.outbox = outbox;
  }

  synchronized void start() {
    CuratorCache o = watch(paths.overrides());
    CuratorCache p = watch(paths.pauses());
    CuratorCache s = watch(paths.stepDown());
    CuratorCache dr = watch(paths.drills());
    listen(
        o, () -> overrides = decodeAll(o, paths::lineOfOverride, codec::decodeOverride), listeners);
    listen(p, () -> pauses = decodeAll(p, paths::zoneOfPause, codec::decodePause), listeners);
    listen(
        dr,
        () -> {
          drills = decodeAll(dr, paths::drillOf, drillCodec::decode);
          drillsVersion =
              dr.get(paths.drills())
                  .filter(c -> c.getStat() != null)
                  .map(c -> c.getStat().getVersion())
                  .orElse(Versioned.ABSENT);
        },
        drillListeners);
    listen(
        s,
        () ->
            stepDown =
                s.get(paths.stepDown())
                    .filter(d -> d.getData() != null && d.getData().length > 0)
                    .flatMap(c -> decode(c, codec::decodeStepDown)),
        listeners);
    caches.forEach(CuratorCache::start);
  }

  private CuratorCache watch(String path) {
    CuratorCache cache =
        CuratorCache.builder(client, path)
            .withExceptionHandler(
                e -> log.warn("intent view path={} refresh failed: {}", path, e.toString()))
            .build();
    caches.add(cache);
    return cache;
  }

  private void listen(CuratorCache cache, Runnable refresh, List<Subscription> told) {
    Runnable changed =
        () -> {
          refresh.run();
          synchronized (viewsRefreshed) {
            viewsRefreshed.notifyAll();
          }
          told.forEach(l -> l.executor().execute(l.listener()));
        };
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forAll((type, before, after) -> changed.run())
                .forInitialized(changed)
                .build());
  }

  private <T> Map<String, Versioned<T>> decodeAll(
      CuratorCache cache, Function<String, Optional<String>> keyOf, Function<byte[], T> decode) {
    Map<String, Versioned<T>> out = new HashMap<>();
    cache.stream()
        .forEach(
            d ->
                keyOf
                    .apply(d.getPath())
                    .ifPresent(
                        key ->
                            decode(d, decode)
                                .ifPresent(
                                    v ->
                                        out.put(
                                            key, new Versioned<>(v, d.getStat().getVersion())))));
    return Map.copyOf(out);
  }

  private static <T> Optional<T> decode(ChildData d, Function<byte[], T> decode) {
    if (d.getData() == null || d.getStat() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode.apply(d.getData()));
    } catch (RuntimeException e) {
      log.warn("intent path={} ignored: unreadable content ({})", d.getPath(), e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public Map<String, Versioned<LineOverride>> overrides() {
    return overrides;
  }

  @Override
  public Map<String, Versioned<ZonePause>> pauses() {
    return pauses;
  }

  @Override
  public Optional<StepDownRequest> stepDown() {
    return stepDown;
  }

  @Override
  public void putOverride(LineOverride override, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    put(paths.override(override.line()), codec.encode(override), expectedVersion, event);
    awaitViewPast(() -> overrides, override.line(), expectedVersion);
  }

  @Override
  public void removeOverride(String line, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    remove(paths.override(line), expectedVersion, event);
    awaitViewPast(() -> overrides, line, expectedVersion);
  }

  @Override
  public void expireOverride(long epoch, String line, int version, AuditEvent event)
      throws NotLeaderException, IntentConflictException {
    String path = paths.override(line);
    fenced(
        epoch,
        "override expiry " + line,
        tx -> tx.delete().withVersion(version).forPath(path),
        path,
        event);
  }

  @Override
  public void putPause(ZonePause pause, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    put(paths.pause(pause.zone()), codec.encode(pause), expectedVersion, event);
    awaitViewPast(() -> pauses, pause.zone(), expectedVersion);
  }

  @Override
  public void removePause(String zone, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    remove(paths.pause(zone), expectedVersion, event);
    awaitViewPast(() -> pauses, zone, expectedVersion);
  }

  /**
   * Read-your-writes for operators: returns once this node's view of {@code key} has moved past
   * {@code before}, the version the committed write was based on, so that the caller's next call to
   * this node (a status, or a second change of the same intent) sees it instead of answering with a
   * stale version and a conflict. After {@link #VIEW_WAIT} it returns anyway: the write is
   * committed either way.
   */
  private void awaitViewPast(
      Supplier<Map<String, ? extends Versioned<?>>> view, String key, int before) {
    long deadline = System.nanoTime() + VIEW_WAIT.toNanos();
    synchronized (viewsRefreshed) {
      while (versionOf(view.get(), key) == before) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.debug("intent key={} committed, not yet in this node's view", key);
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(viewsRefreshed, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static int versionOf(Map<String, ? extends Versioned<?>> view, String key) {
    Versioned<?> v = view.get(key);
    return v == null ? Versioned.ABSENT : v.version();
  }

  @Override
  public void requestStepDown(StepDownRequest request, AuditEvent event) {
    byte[] data = codec.encode(request);
    ensureSkeleton.run();
    for (int attempt = 0; attempt < 3; attempt++) {
      boolean exists =
          ZkCall.code(
                  zk.call(
                      "step-down read",
                      cb -> client.checkExists().inBackground(cb).forPath(paths.stepDown())))
              == Code.OK;
      try {
        commit(
            "step-down request",
            tx ->
                List.of(
                    exists
                        ? tx.setData().forPath(paths.stepDown(), data)
                        : tx.create()
                            .withMode(CreateMode.PERSISTENT)
                            .forPath(paths.stepDown(), data)),
            event,
            List.of(),
            (code, failedOp) -> {
              throw new IntentConflictException("step-down node changed: " + code);
            });
        return;
      } catch (IntentConflictException | NotLeaderException e) {
        log.debug("step-down request raced another: {}", e.getMessage());
      }
    }
    throw new StoreUnavailableException("step-down request: the node kept changing", null);
  }

  @Override
  public void clearStepDown(String id) {
    Optional<StepDownRequest> now = stepDown;
    if (now.isEmpty() || !now.get().id().equals(id)) {
      return;
    }
    CuratorEvent read =
        zk.call(
            "step-down read", cb -> client.getData().inBackground(cb).forPath(paths.stepDown()));
    if (ZkCall.code(read) != Code.OK || read.getData() == null) {
      return;
    }
    Optional<StepDownRequest> stored =
        decode(
            new ChildData(paths.stepDown(), read.getStat(), read.getData()), codec::decodeStepDown);
    if (stored.isEmpty() || !stored.get().id().equals(id)) {
      return;
    }
    int version = read.getStat().getVersion();
    Code code =
        ZkCall.code(
            zk.call(
                "step-down clear",
                cb ->
                    client
                        .delete()
                        .withVersion(version)
                        .inBackground(cb)
                        .forPath(paths.stepDown())));
    log.debug("step-down id={} cleared: {}", id, code);
  }

  @Override
  public Map<String, Versioned<Drill>> drills() {
    return drills;
  }

  @Override
  public int drillsVersion() {
    return drillsVersion;
  }

  @Override
  public void start(Drill drill, int parentVersion, AuditEvent event)
      throws IntentConflictException {
    ensureSkeleton.run();
    String path = paths.drill(drill.id());
    byte[] data = drillCodec.encode(drill);
    commitOrConflict(
        path,
        tx ->
            List.of(
                tx.setData()
                    .withVersion(parentVersion)
                    .forPath(paths.drills(), drill.id().getBytes(StandardCharsets.UTF_8)),
                tx.create().withMode(CreateMode.PERSISTENT).forPath(path, data)),
        event);
  }

  @Override
  public void update(Drill drill, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    put(paths.drill(drill.id()), drillCodec.encode(drill), expectedVersion, event);
  }

  @Override
  public void advance(long epoch, Drill drill, int expectedVersion, AuditEvent event)
      throws NotLeaderException, IntentConflictException {
    String path = paths.drill(drill.id());
    byte[] data = drillCodec.encode(drill);
    fenced(
        epoch,
        "drill " + drill.id(),
        tx -> tx.setData().withVersion(expectedVersion).forPath(path, data),
        path,
        event);
  }

  @Override
  public void remove(long epoch, String id, int expectedVersion)
      throws NotLeaderException, IntentConflictException {
    String path = paths.drill(id);
    fenced(
        epoch,
        "drill removal " + id,
        tx -> tx.delete().withVersion(expectedVersion).forPath(path),
        path,
        null);
  }

  @Override
  public void addDrillListener(Runnable listener, Executor executor) {
    drillListeners.add(new Subscription(listener, executor));
  }

  @FunctionalInterface
  private interface Op {
    CuratorOp build(TransactionOp tx) throws Exception;
  }

  /** One leader write: the term's epoch check, then {@code op}; {@code event} may be null. */
  private void fenced(long epoch, String what, Op op, String path, AuditEvent event)
      throws NotLeaderException, IntentConflictException {
    if (epoch <= 0 || epoch > Integer.MAX_VALUE) {
      throw new NotLeaderException("epoch " + epoch + " is not a term");
    }
    commit(
        what,
        tx -> List.of(tx.check().withVersion((int) epoch).forPath(paths.epoch()), op.build(tx)),
        event,
        event == null ? List.of() : outbox.entries(epoch, event),
        (code, failedOp) -> {
          if (failedOp == 0) {
            throw new NotLeaderException(
                "epoch " + epoch + " is no longer current (" + code + "): another node leads");
          }
          throw new IntentConflictException(path + " changed meanwhile (" + code + ")");
        });
  }

  @Override
  public void addIntentListener(Runnable listener, Executor executor) {
    listeners.add(new Subscription(listener, executor));
  }

  private void put(String path, byte[] data, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    ensureSkeleton.run();
    commitOrConflict(
        path,
        tx ->
            List.of(
                expectedVersion == Versioned.ABSENT
                    ? tx.create().withMode(CreateMode.PERSISTENT).forPath(path, data)
                    : tx.setData().withVersion(expectedVersion).forPath(path, data)),
        event);
  }

  private void remove(String path, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    ensureSkeleton.run();
    commitOrConflict(
        path, tx -> List.of(tx.delete().withVersion(expectedVersion).forPath(path)), event);
  }

  private void commitOrConflict(String path, Ops ops, AuditEvent event)
      throws IntentConflictException {
    try {
      commit(
          "intent " + path,
          ops,
          event,
          List.of(),
          (code, failedOp) -> {
            throw new IntentConflictException(
                path + " changed meanwhile (" + code + "): read it again and retry");
          });
    } catch (NotLeaderException e) {
      throw new IllegalStateException("an unfenced write cannot be fenced out", e);
    }
  }

  @FunctionalInterface
  private interface Ops {
    List<CuratorOp> build(TransactionOp tx) throws Exception;
  }

  @FunctionalInterface
  private interface OnRefused {
    void refused(Code code, int failedOp) throws IntentConflictException, NotLeaderException;
  }

  /**
   * Commits {@code ops}, the audit entry of {@code event} and {@code outboxEntries} in one
   * transaction. A refusal by one of {@code ops} (version, existence) goes to {@code onRefused}:
   * the first op of a fenced write is the epoch check.
   */
  private void commit(
      String what,
      Ops ops,
      AuditEvent event,
      List<FencedWrites.Append> outboxEntries,
      OnRefused onRefused)
      throws IntentConflictException, NotLeaderException {
    FencedWrites.Append entry = event == null ? null : audit.loneEntry(event);
    List<CuratorOp> all = new ArrayList<>();
    try {
      TransactionOp tx = client.transactionOp();
      all.addAll(ops.build(tx));
      List<FencedWrites.Append> appends = new ArrayList<>(outboxEntries);
      if (entry != null) {
        appends.addFirst(entry);
      }
      for (FencedWrites.Append a : appends) {
        all.add(tx.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(a.path(), a.data()));
      }
    } catch (Exception e) {
      throw new IllegalArgumentException(what + ": invalid operation", e);
    }
    CuratorEvent result =
        zk.call(what, cb -> client.transaction().inBackground(cb).forOperations(all));
    Code code = ZkCall.code(result);
    if (code == Code.OK) {
      if (entry != null) {
        audit.appended(1);
      }
      return;
    }
    if (code == Code.BADVERSION || code == Code.NONODE || code == Code.NODEEXISTS) {
      onRefused.refused(code, failedOp(result));
      return;
    }
    throw new StoreUnavailableException(what + ": " + code, KeeperException.create(code));
  }

  private static int failedOp(CuratorEvent result) {
    List<CuratorTransactionResult> results = result.getOpResults();
    if (results != null) {
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i).getError() != 0) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public synchronized void close() {
    caches.forEach(CuratorCache::close);
    caches.clear();
  }
}
