package io.haddns.controller.notify;

import io.haddns.controller.config.GatewayAbuseConfig;
import io.haddns.controller.store.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One node's gateway refusals counted per category and source in fixed windows aligned on the clock
 * (every node's windows start at the same instants, so the leader can add them up): the node's side
 * of docs/notifications.md, "Gateway abuse". Fed with the gateway's audit events; {@link #due()}
 * tells the summary to publish. At most {@value #MAX_KEYS} category/source pairs are counted per
 * window (a flood of spoofed sources cannot grow it further); later new pairs are only counted as
 * {@link #overflow()}.
 *
 * <p>Thread-safe; never blocks.
 */
public final class RefusalTally implements Consumer<List<AuditEvent>> {
  static final int MAX_KEYS = 10_000;

  private final GatewayAbuseConfig config;
  private final String node;
  private final InstantSource clock;
  private final Map<Key, Count> counts = new HashMap<>();
  private long windowStart = Long.MIN_VALUE;
  private long overflow;
  private RefusalSummary published;

  private record Key(String category, String source) {}

  private static final class Count {
    long total;
    final Map<String, Long> outcomes = new HashMap<>();
    final Set<String> credentials = new LinkedHashSet<>();
  }

  public RefusalTally(GatewayAbuseConfig config, String node, InstantSource clock) {
    this.config = config;
    this.node = node;
    this.clock = clock;
  }

  /** Counts the refusals among {@code events}; other events are ignored. */
  @Override
  public void accept(List<AuditEvent> events) {
    for (AuditEvent e : events) {
      GatewayRefusal.of(e).ifPresent(this::refused);
    }
  }

  public synchronized void refused(GatewayRefusal r) {
    roll();
    Key key = new Key(r.category(), r.source());
    Count c = counts.get(key);
    if (c == null) {
      if (counts.size() >= MAX_KEYS) {
        overflow++;
        return;
      }
      c = new Count();
      counts.put(key, c);
    }
    c.total++;
    c.outcomes.merge(r.outcome(), 1L, Long::sum);
    if (!r.credential().isEmpty() && c.credentials.size() < RefusalSummary.MAX_CREDENTIALS) {
      c.credentials.add(r.credential());
    }
  }

  /**
   * The summary of the current window to publish: the sources at or over the threshold, busiest
   * first, at most {@code maxSources}; empty when there is none or it is what was last {@link
   * #published}.
   */
  public synchronized Optional<RefusalSummary> due() {
    roll();
    List<RefusalSummary.Entry> entries = new ArrayList<>();
    counts.entrySet().stream()
        .filter(e -> e.getValue().total >= config.threshold())
        .sorted(
            Comparator.comparingLong((Map.Entry<Key, Count> e) -> -e.getValue().total)
                .thenComparing(e -> e.getKey().source())
                .thenComparing(e -> e.getKey().category()))
        .limit(config.maxSources())
        .forEach(
            e ->
                entries.add(
                    new RefusalSummary.Entry(
                        e.getKey().category(),
                        e.getKey().source(),
                        e.getValue().total,
                        e.getValue().outcomes,
                        List.copyOf(e.getValue().credentials))));
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    RefusalSummary s =
        new RefusalSummary(node, Instant.ofEpochMilli(windowStart), config.window(), entries);
    return s.equals(published) ? Optional.empty() : Optional.of(s);
  }

  /** {@code s} was written: {@link #due()} offers it again only once it changed. */
  public synchronized void published(RefusalSummary s) {
    published = s;
  }

  /** Refusals of the current window not counted because too many sources were seen. */
  public synchronized long overflow() {
    roll();
    return overflow;
  }

  /** The start of the window {@code millis} falls in. */
  static long windowStart(long millis, Duration window) {
    return Math.floorDiv(millis, window.toMillis()) * window.toMillis();
  }

  private void roll() {
    long start = windowStart(clock.millis(), config.window());
    if (start != windowStart) {
      windowStart = start;
      counts.clear();
      overflow = 0;
    }
  }
}
