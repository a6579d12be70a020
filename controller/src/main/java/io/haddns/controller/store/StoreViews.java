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
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm views of the replicated state: one {@link CuratorCache} per subtree (epoch, members, lines,
 * records; the audit trail is read on demand), decoded into maps by a single view thread. Reads
 * only touch memory.
 */
final class StoreViews implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreViews.class);

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final StoreCodec codec;
  private final ExecutorService viewThread =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("haddns-store-views").factory());
  private final Map<String, CuratorCache> caches = new ConcurrentHashMap<>();
  private final CountDownLatch primed = new CountDownLatch(4);
  private final Map<String, LineHealth> health = new ConcurrentHashMap<>();
  private final Map<RecordKey, AppliedRecord> applied = new ConcurrentHashMap<>();
  private final Map<String, MemberInfo> members = new ConcurrentHashMap<>();
  private final Map<String, LineAddressState> addresses = new ConcurrentHashMap<>();
  private final List<Subscription> listeners = new CopyOnWriteArrayList<>();
  private volatile long epoch;

  StoreViews(CuratorFramework client, ZkPaths paths, StoreCodec codec) {
    this.client = client;
    this.paths = paths;
    this.codec = codec;
  }

  void start() {
    watch(paths.epoch(), this::onEpoch);
    watch(paths.members(), this::onMember);
    watch(paths.lines(), this::onLine);
    watch(paths.records(), this::onRecord);
  }

  private void watch(String path, Function<ChildData, Optional<StoreView>> onChange) {
    CuratorCache cache =
        CuratorCache.builder(client, path)
            .withExceptionHandler(
                e -> log.warn("store view path={} refresh failed: {}", path, e.toString()))
            .build();
    CuratorCacheListener listener =
        CuratorCacheListener.builder()
            .forAll(
                (type, oldData, data) -> {
                  ChildData node = data != null ? data : oldData;
                  boolean deleted = data == null;
                  onChange
                      .apply(deleted ? new ChildData(node.getPath(), null, null) : node)
                      .ifPresent(this::changed);
                })
            .forInitialized(primed::countDown)
            .build();
    cache.listenable().addListener(listener, viewThread);
    caches.put(path, cache);
    cache.start();
  }

  private Optional<StoreView> onEpoch(ChildData node) {
    if (!node.getPath().equals(paths.epoch())) {
      return Optional.empty();
    }
    // A deleted epoch node keeps the last known term: epochs only move forward.
    if (node.getStat() != null) {
      epoch = Math.max(epoch, node.getStat().getVersion());
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

  private Optional<StoreView> onRecord(ChildData node) {
    return paths
        .recordKeyOf(node.getPath())
        .map(
            key -> {
              update(applied, key, node, codec::decodeApplied);
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

  Map<String, LineHealth> health() {
    return Map.copyOf(health);
  }

  Map<RecordKey, AppliedRecord> applied() {
    return Map.copyOf(applied);
  }

  Map<String, LineAddressState> addresses() {
    return Map.copyOf(addresses);
  }

  List<MemberInfo> members() {
    return members.values().stream().sorted(Comparator.comparing(MemberInfo::nodeId)).toList();
  }

  boolean isPrimed() {
    return primed.getCount() == 0;
  }

  boolean awaitPrimed(Duration timeout) {
    try {
      return primed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
    caches.values().forEach(CuratorCache::close);
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
