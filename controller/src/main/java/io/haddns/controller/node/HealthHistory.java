package io.haddns.controller.node;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.StoreView;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Each line's latest health changes, kept by every node from the replicated health (the leader
 * writes a line's health on each transition; every node's warm view follows it), so a follower
 * answers the same history as the leader for the changes it saw since it started. At most {@link
 * ClusterStatus#HISTORY_LIMIT} per line, oldest dropped first. Two changes of a line that the view
 * delivers as one notification show as the later one only. Thread-safe.
 */
public final class HealthHistory implements StoreView.Listener {
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
