package io.haddns.controller.node;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.StoreView;
import io.haddns.probe.Health;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each line's latest health changes, kept by every node from the replicated health (the leader
 * writes a line's health on each transition; every node's warm view follows it), so a follower
 * answers the same history as the leader for the changes it saw since it started. At most {@link
 * ClusterStatus#HISTORY_LIMIT} per line, oldest dropped first. Each notification walks every line,
 * so the node passes them on throttled ({@link io.haddns.controller.store.ThrottledListener}, 100
 * ms); two changes of a line that arrive as one notification show as the later one only. The
 * changes from before the node started come from the audit trail ({@link #seed}): those carry no
 * reason or epoch. Thread-safe.
 */
public final class HealthHistory implements StoreView.Listener {
  /** The reason shown for a change read from the audit trail, which does not keep reasons. */
  public static final String FROM_TRAIL = "(from the audit trail)";

  private static final Pattern HEALTH_EVENT = Pattern.compile("line=(\\S+) (\\S+) -> (\\S+)");
  private final Supplier<Map<String, LineHealth>> health;
  private final Map<String, Deque<LineHealth>> lines = new HashMap<>();

  /**
   * @param health the replicated health per line (the store's warm view)
   */
  public HealthHistory(Supplier<Map<String, LineHealth>> health) {
    this.health = health;
  }

  @Override
  public void changed(Set<StoreView> views) {
    if (views.contains(StoreView.HEALTH)) {
      record(health.get());
    }
  }

  /** Takes in the current health of every line; a line whose health was decided anew is added. */
  public synchronized void record(Map<String, LineHealth> now) {
    for (LineHealth h : now.values()) {
      Deque<LineHealth> seen = lines.computeIfAbsent(h.line(), l -> new ArrayDeque<>());
      LineHealth last = seen.peekLast();
      if (last != null
          && last.health() == h.health()
          && last.since().equals(h.since())
          && last.epoch() == h.epoch()) {
        continue;
      }
      seen.addLast(h);
      while (seen.size() > ClusterStatus.HISTORY_LIMIT) {
        seen.removeFirst();
      }
    }
  }

  /**
   * Adds the line health changes the audit trail holds ({@code health} events, {@code line=L FROM
   * -> TO}), oldest first, before each line's first change seen from the replicated health; an
   * event at or after that change is already here. Called once, when the trail can be read.
   */
  public synchronized void seed(List<AuditEvent> trail) {
    Map<String, Deque<LineHealth>> earlier = new HashMap<>();
    for (AuditEvent e : trail) {
      Matcher m = HEALTH_EVENT.matcher(e.detail());
      if (!e.type().equals("health") || !m.matches()) {
        continue;
      }
      Optional<Health> to = health(m.group(3));
      Deque<LineHealth> seen = lines.get(m.group(1));
      if (to.isEmpty() || (seen != null && !e.at().isBefore(seen.peekFirst().since()))) {
        continue;
      }
      earlier
          .computeIfAbsent(m.group(1), l -> new ArrayDeque<>())
          .addLast(new LineHealth(m.group(1), to.get(), List.of(), e.at(), 0, FROM_TRAIL));
    }
    earlier.forEach(
        (line, changes) -> {
          Deque<LineHealth> seen = lines.computeIfAbsent(line, l -> new ArrayDeque<>());
          changes.descendingIterator().forEachRemaining(seen::addFirst);
          while (seen.size() > ClusterStatus.HISTORY_LIMIT) {
            seen.removeFirst();
          }
        });
  }

  private static Optional<Health> health(String label) {
    for (Health h : Health.values()) {
      if (h.label().equals(label)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** The line's changes, oldest first. */
  public synchronized List<ClusterStatus.HealthChange> of(String line) {
    Deque<LineHealth> seen = lines.get(line);
    if (seen == null) {
      return List.of();
    }
    return seen.stream()
        .map(
            h ->
                new ClusterStatus.HealthChange(
                    h.health().label(), h.since().toString(), h.reason(), h.epoch()))
        .toList();
  }
}
