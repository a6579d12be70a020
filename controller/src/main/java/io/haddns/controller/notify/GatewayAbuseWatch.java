package io.haddns.controller.notify;

import io.haddns.controller.config.GatewayAbuseConfig;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway abuse notifications (docs/notifications.md, "Gateway abuse"). On every node, each {@code
 * publishInterval}: the node's {@link RefusalTally} summary, when it changed, goes to the node's
 * own summary in ZooKeeper (unfenced). On the leader, then: the nodes' summaries of the current and
 * the previous window are added up per category and source, and each pair not noticed yet becomes
 * one {@code gateway-abuse} audit event, stored with its notification and its notice marker in one
 * fenced transaction, so it is told once per window even across a change of leader.
 *
 * <p>Lifecycle: constructed without I/O; {@link #start} once; {@link #close()} once. Runs on a
 * thread of its own; never blocks the gateway.
 */
public final class GatewayAbuseWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayAbuseWatch.class);

  /** Where summaries and notices live: the store's {@code refusals/} and {@code abuse-notices/}. */
  public interface Store {
    /** See {@code ZkRefusals#publish}. */
    void publish(String node, byte[] summary);

    /** See {@code ZkRefusals#summaries}. */
    List<byte[]> summaries();

    /** See {@code ZkRefusals#notices}. */
    Set<String> notices();

    /** See {@code ZkRefusals#forget}. */
    void forget(long epoch, List<String> notices) throws NotLeaderException;

    /** See {@code ZkStateStore#auditNotice}. */
    void auditNotice(long epoch, AuditEvent event, String notice) throws NotLeaderException;
  }

  private final GatewayAbuseConfig config;
  private final RefusalTally tally;
  private final Store store;
  private final String node;
  private final InstantSource clock;
  private final boolean told;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("haddns-abuse").daemon(true).factory());

  /**
   * @param told whether some route takes {@code gateway-abuse} events; without one, refusals are
   *     counted but no summary is written and no event stored
   */
  public GatewayAbuseWatch(
      GatewayAbuseConfig config,
      RefusalTally tally,
      Store store,
      String node,
      InstantSource clock,
      boolean told) {
    this.config = config;
    this.tally = tally;
    this.store = store;
    this.node = node;
    this.clock = clock;
    this.told = told;
  }

  /** The tally the gateway's audit events feed. */
  public RefusalTally tally() {
    return tally;
  }

  /** Starts publishing, and relaying while {@code epoch} (this node's term, 0 if none) is set. */
  public void start(LongSupplier epoch) {
    long every = config.publishInterval().toMillis();
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            tick(epoch.getAsLong());
          } catch (StoreUnavailableException e) {
            log.warn("gateway abuse: ZooKeeper unavailable: {}", e.getMessage());
          } catch (RuntimeException e) {
            log.error("gateway abuse: round failed", e);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  /** One round: publish this node's summary if it changed, and relay while leading. */
  void tick(long epoch) {
    if (!told) {
      return;
    }
    tally
        .due()
        .ifPresent(
            s -> {
              store.publish(node, s.encode());
              tally.published(s);
              log.info(
                  "refusals window={} sources={} over the threshold: summary written",
                  s.windowStart(),
                  s.entries().size());
            });
    if (epoch != 0) {
      try {
        relay(epoch);
      } catch (NotLeaderException e) {
        log.info("gateway abuse: not stored, no longer leader: {}", e.getMessage());
      }
    }
  }

  private record Key(long windowStart, String category, String source) {}

  private static final class Sum {
    long refusals;
    final Map<String, Long> outcomes = new TreeMap<>();
    final Set<String> credentials = new TreeSet<>();
    final Set<String> nodes = new TreeSet<>();
  }

  private void relay(long epoch) throws NotLeaderException {
    long window = config.window().toMillis();
    long current = RefusalTally.windowStart(clock.millis(), config.window());
    Map<Key, Sum> sums = new TreeMap<>(BY_KEY);
    for (byte[] data : store.summaries()) {
      RefusalSummary s;
      try {
        s = RefusalSummary.decode(data);
      } catch (RuntimeException bad) {
        log.debug("gateway abuse: unreadable summary: {}", bad.getMessage());
        continue;
      }
      long start = s.windowStart().toEpochMilli();
      if (s.window().toMillis() != window || start < current - window || start > current) {
        continue;
      }
      for (RefusalSummary.Entry e : s.entries()) {
        Sum sum = sums.computeIfAbsent(new Key(start, e.category(), e.source()), k -> new Sum());
        sum.refusals += e.refusals();
        e.outcomes().forEach((o, n) -> sum.outcomes.merge(o, n, Long::sum));
        e.credentials().stream()
            .limit(RefusalSummary.MAX_CREDENTIALS)
            .forEach(
                c -> {
                  if (sum.credentials.size() < RefusalSummary.MAX_CREDENTIALS) {
                    sum.credentials.add(c);
                  }
                });
        sum.nodes.add(s.node());
      }
    }
    Set<String> noticed = store.notices();
    for (Map.Entry<Key, Sum> e : sums.entrySet()) {
      String notice = notice(e.getKey());
      if (noticed.contains(notice)) {
        continue;
      }
      Sum sum = e.getValue();
      String detail =
          "category="
              + e.getKey().category()
              + " source="
              + e.getKey().source()
              + " window="
              + Instant.ofEpochMilli(e.getKey().windowStart())
              + " refusals="
              + sum.refusals
              + " outcomes="
              + sum.outcomes.entrySet().stream()
                  .map(o -> o.getKey() + ":" + o.getValue())
                  .collect(Collectors.joining(","))
              + " credentials="
              + String.join(",", sum.credentials)
              + " nodes="
              + String.join(",", sum.nodes);
      store.auditNotice(
          epoch, new AuditEvent(clock.instant(), node, "gateway-abuse", detail), notice);
      log.warn("gateway-abuse {}", detail);
    }
    List<String> old = new ArrayList<>();
    for (String n : noticed) {
      if (windowOf(n) < current - window) {
        old.add(n);
      }
    }
    store.forget(epoch, old);
  }

  private static final Comparator<Key> BY_KEY =
      Comparator.comparingLong(Key::windowStart)
          .thenComparing(Key::category)
          .thenComparing(Key::source);

  /** {@code w<windowStart>-<category>-<hash of the source>}: a ZooKeeper name for any source. */
  static String notice(long windowStart, String category, String source) {
    return notice(new Key(windowStart, category, source));
  }

  private static String notice(Key k) {
    byte[] hash;
    try {
      hash =
          MessageDigest.getInstance("SHA-256").digest(k.source().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return "w" + k.windowStart() + "-" + k.category() + "-" + HexFormat.of().formatHex(hash, 0, 8);
  }

  private static long windowOf(String notice) {
    try {
      return Long.parseLong(notice.substring(1, notice.indexOf('-')));
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
