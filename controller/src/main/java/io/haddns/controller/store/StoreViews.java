package io.haddns.controller.store;

import io.haddns.controller.dns.RecordKey;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm views of the replicated state: one {@link CuratorCache} per subtree (epoch, members, lines,
 * records, zone serials; the audit trail is read on demand), decoded into maps by a single view
 * thread. Reads only touch memory.
 *
 * <p>Caught up ({@link #isPrimed()}): every cache has loaded its subtree since the last connection
 * to ZooKeeper was made. A disconnection (SUSPENDED, LOST) clears it; on reconnection the caches
 * are rebuilt from the server, entries that disappeared meanwhile are dropped, and it is set again
 * once all have loaded. Until then the views keep serving what they last knew.
 */
final class StoreViews implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreViews.class);
  private static final int SUBTREES = 5;
  private static final long ROUND_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final StoreCodec codec;
  private final ExecutorService viewThread =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("haddns-store-views").factory());
  private final Map<String, CuratorCache> caches = new ConcurrentHashMap<>();
  private final Map<String, LineHealth> health = new ConcurrentHashMap<>();
  private final AppliedView applied;
  private final Map<String, MemberInfo> members = new ConcurrentHashMap<>();
  private final Map<String, LineAddressState> addresses = new ConcurrentHashMap<>();
  private final Map<String, Integer> serials = new ConcurrentHashMap<>();
  private final List<Subscription> listeners = new CopyOnWriteArrayList<>();
  private final ConnectionStateListener onConnection = this::connectionChanged;
  private volatile long epoch;
  private volatile Optional<String> termHolder = Optional.empty();
  // A new round begins at each (re)connection; only the current round's caches count.
  private volatile Round round = new Round(0);
  private volatile Round started;

  private record Round(int generation, CountDownLatch loaded) {
    Round(int generation) {
      this(generation, new CountDownLatch(SUBTREES));
    }
  }

  StoreViews(CuratorFramework client, ZkPaths paths, StoreCodec codec) {
    this.client = client;
    this.paths = paths;
    this.codec = codec;
    this.applied =
        new AppliedView(client, paths, codec, viewThread, () -> changed(StoreView.APPLIED));
  }

  void start() {
    client.getConnectionStateListenable().addListener(onConnection);
    viewThread.execute(() -> startCaches(round));
  }

  // Runs on Curator's event thread, so readiness drops before any later connection event is seen.
  private void connectionChanged(CuratorFramework c, ConnectionState state) {
    switch (state) {
      case SUSPENDED, LOST -> round = new Round(round.generation() + 1);
      case CONNECTED, RECONNECTED -> {
        // A first CONNECTED normally finds the caches of start() loading; after an earlier
        // SUSPENDED or LOST (ZooKeeper was unreachable at start) they must be rebuilt as well.
        if (state == ConnectionState.RECONNECTED || round != started) {
          Round next = new Round(round.generation() + 1);
          round = next;
          log.info("store views reloading after connect generation={}", next.generation());
          viewThread.execute(() -> startCaches(next));
        }
      }
      default -> {}
    }
  }

  private void startCaches(Round r) {
    if (r != round) {
      return;
    }
    started = r;
    caches.values().forEach(CuratorCache::close);
    caches.clear();
    watch(r, paths.epoch(), this::onEpoch, cache -> {});
    watch(
        r,
        paths.members(),
        this::onMember,
        cache -> prune(cache, members, paths::member, StoreView.MEMBERS));
    watch(
        r,
        paths.lines(),
        this::onLine,
        cache -> {
          prune(cache, health, paths::lineHealth, StoreView.HEALTH);
          prune(cache, addresses, paths::lineAddress, StoreView.ADDRESSES);
        });
    watch(
        r,
        paths.records(),
        applied::onNode,
        cache -> {
          if (applied.prune(
              k -> cache.get(paths.record(k)).isEmpty(),
              n -> cache.get(paths.recordName(n)).isEmpty())) {
            changed(StoreView.APPLIED);
          }
        });
    watch(
        r,
        paths.serials(),
        this::onSerial,
        cache -> prune(cache, serials, paths::serial, StoreView.APPLIED));
  }

  private void watch(
      Round r,
      String path,
      Function<ChildData, Optional<StoreView>> onChange,
      Consumer<CuratorCache> onLoaded) {
    CuratorCache cache =
        CuratorCache.builder(client, path)
            .withExceptionHandler(
                e -> log.warn("store view path={} refresh failed: {}", path, e.toString()))
            .build();
    CuratorCacheListener listener =
        CuratorCacheListener.builder()
            .forAll(
                (type, oldData, data) -> {
                  if (r != round) {
                    return;
                  }
                  ChildData node = data != null ? data : oldData;
                  boolean deleted = data == null;
                  onChange
                      .apply(deleted ? new ChildData(node.getPath(), null, null) : node)
                      .ifPresent(this::changed);
                })
            .forInitialized(
                () -> {
                  if (r == round) {
                    onLoaded.accept(cache);
                    r.loaded().countDown();
                  }
                })
            .build();
    cache.listenable().addListener(listener, viewThread);
    caches.put(path, cache);
    cache.start();
  }

  // After a rebuild the new cache reports what exists; whatever it lacks was deleted meanwhile.
  private <K, V> void prune(
      CuratorCache cache, Map<K, V> view, Function<K, String> pathOf, StoreView kind) {
    boolean removed = view.keySet().removeIf(k -> cache.get(pathOf.apply(k)).isEmpty());
    if (removed) {
      changed(kind);
    }
  }

  private Optional<StoreView> onEpoch(ChildData node) {
    if (!node.getPath().equals(paths.epoch())) {
      return Optional.empty();
    }
    // A deleted epoch node keeps the last known term: epochs only move forward.
    if (node.getStat() != null && node.getStat().getVersion() >= epoch) {
      epoch = node.getStat().getVersion();
      try {
        termHolder = codec.decodeEpochNode(node.getData());
      } catch (RuntimeException e) {
        log.warn("store path={} holder unreadable: {}", node.getPath(), e.getMessage());
      }
    }
    return Optional.of(StoreView.EPOCH);
  }

  private Optional<StoreView> onMember(ChildData node) {
    return paths
        .memberOf(node.getPath())
        .map(
            id -> {
              update(members, id, node, codec::decodeMember);
              return StoreView.MEMBERS;
            });
  }

  private Optional<StoreView> onLine(ChildData node) {
    Optional<String> addressOf = paths.lineOfAddress(node.getPath());
    if (addressOf.isPresent()) {
      update(addresses, addressOf.get(), node, codec::decodeAddress);
      return Optional.of(StoreView.ADDRESSES);
    }
    return paths
        .lineOfHealth(node.getPath())
        .map(
            line -> {
              update(health, line, node, codec::decodeHealth);
              return StoreView.HEALTH;
            });
  }

  private Optional<StoreView> onSerial(ChildData node) {
    return paths
        .zoneOfSerial(node.getPath())
        .map(
            zone -> {
              if (node.getStat() == null) {
                serials.remove(zone);
              } else {
                serials.merge(zone, node.getStat().getVersion(), Math::max);
              }
              return StoreView.APPLIED;
            });
  }

  private <K, V> void update(Map<K, V> view, K key, ChildData node, Function<byte[], V> decode) {
    if (node.getData() == null) {
      view.remove(key);
      return;
    }
    try {
      view.put(key, decode.apply(node.getData()));
    } catch (RuntimeException e) {
      log.warn("store path={} ignored: unreadable content ({})", node.getPath(), e.getMessage());
    }
  }

  private void changed(StoreView view) {
    for (Subscription s : listeners) {
      s.mark(view);
    }
  }

  /** True when the node at {@code path} (under lines/ or records/) is in the cache. */
  boolean cached(String path) {
    return caches.values().stream().anyMatch(c -> c.get(path).isPresent());
  }

  long epoch() {
    return epoch;
  }

  /** The node that began the latest term seen, if any. */
  Optional<String> termHolder() {
    return termHolder;
  }

  Map<String, LineHealth> health() {
    return Map.copyOf(health);
  }

  /** One line's health, without copying every line's. */
  Optional<LineHealth> health(String line) {
    return Optional.ofNullable(health.get(line));
  }

  Optional<AppliedRecord> applied(RecordKey key) {
    return applied.served(key);
  }

  Map<RecordKey, AppliedRecord> applied() {
    return applied.served();
  }

  Map<String, LineAddressState> addresses() {
    return Map.copyOf(addresses);
  }

  List<MemberInfo> members() {
    return members.values().stream().sorted(Comparator.comparing(MemberInfo::nodeId)).toList();
  }

  /** The zone's serial: its serial node's data version plus one, or 0 when it has none yet. */
  long serial(String zone) {
    Integer version = serials.get(zone);
    return version == null ? 0 : (version + 1L) & 0xFFFFFFFFL;
  }

  boolean isPrimed() {
    return round.loaded().getCount() == 0;
  }

  /**
   * Waits until the current round has loaded. A connection event may start a new round while this
   * waits (the first CONNECTED can arrive before the view thread started the first round's caches);
   * the superseded round never completes, so the wait follows whichever round is current.
   */
  boolean awaitPrimed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        Round current = round;
        long left = deadline - System.nanoTime();
        if (current.loaded().await(Math.min(left, ROUND_RECHECK_NANOS), TimeUnit.NANOSECONDS)
            && current == round) {
          return true;
        }
        if (left <= 0) {
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void addListener(StoreView.Listener listener, Executor executor) {
    listeners.add(new Subscription(listener, executor));
  }

  @Override
  public void close() {
    if (viewThread.isShutdown()) {
      return;
    }
    client.getConnectionStateListenable().removeListener(onConnection);
    round = new Round(-1);
    try {
      viewThread
          .submit(() -> caches.values().forEach(CuratorCache::close))
          .get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.debug("store views close: {}", e.toString());
    }
    viewThread.shutdownNow();
  }

  /** Coalesces changes for one listener so a burst of cache events becomes a few calls. */
  private static final class Subscription {
    private final StoreView.Listener listener;
    private final Executor executor;
    private final Set<StoreView> pending = EnumSet.noneOf(StoreView.class);
    private boolean scheduled;

    Subscription(StoreView.Listener listener, Executor executor) {
      this.listener = listener;
      this.executor = executor;
    }

    void mark(StoreView view) {
      synchronized (pending) {
        pending.add(view);
        if (scheduled) {
          return;
        }
        scheduled = true;
      }
      executor.execute(this::deliver);
    }

    // Stays "scheduled" until nothing is pending, so deliveries never overlap.
    private void deliver() {
      while (true) {
        Set<StoreView> views;
        synchronized (pending) {
          if (pending.isEmpty()) {
            scheduled = false;
            return;
          }
          views = EnumSet.copyOf(pending);
          pending.clear();
        }
        try {
          listener.changed(views);
        } catch (RuntimeException e) {
          log.warn("store listener failed views={}", views, e);
        }
      }
    }
  }
}
