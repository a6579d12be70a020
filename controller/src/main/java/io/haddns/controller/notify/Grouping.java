package io.haddns.controller.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rate limiting by subject, per receiver: the first notification about a subject (a line, a record)
 * goes out at once; later ones about it wait until its group interval has passed since the last
 * message, then go out together as one summary. A flapping line thus sends a few summaries, not a
 * message per transition. Remembered by the leader only: a new leader starts afresh (at most one
 * extra message per subject).
 *
 * <p>Not thread-safe: used by the dispatcher's single thread.
 */
final class Grouping {
  private record Key(String receiver, String group) {}

  private final Map<Key, Instant> lastSent = new HashMap<>();

  /** A message: the notifications about one subject sent together to one receiver. */
  record Batch(String receiver, String group, List<Notification> notifications) {
    Batch {
      notifications = List.copyOf(notifications);
    }
  }

  /**
   * Cuts what is pending for {@code receiver} (oldest first) into the batches due {@code now};
   * notifications of a group not yet due stay pending.
   */
  List<Batch> due(
      String receiver, List<Notification> pending, Map<String, Duration> intervals, Instant now) {
    Map<String, List<Notification>> byGroup = new LinkedHashMap<>();
    for (Notification n : pending) {
      byGroup.computeIfAbsent(n.groupKey(), g -> new ArrayList<>()).add(n);
    }
    List<Batch> out = new ArrayList<>();
    byGroup.forEach(
        (group, list) -> {
          Duration interval = intervals.getOrDefault(group, Duration.ZERO);
          Instant last = lastSent.get(new Key(receiver, group));
          if (interval.isZero()) {
            list.forEach(n -> out.add(new Batch(receiver, group, List.of(n))));
          } else if (last == null) {
            // The first goes at once; the rest waits one interval after it, then goes together.
            out.add(new Batch(receiver, group, List.of(list.get(0))));
          } else if (!now.isBefore(last.plus(interval))) {
            out.add(new Batch(receiver, group, list));
          }
        });
    return out;
  }

  /** Records that a message of {@code group} went to {@code receiver} at {@code now}. */
  void sent(String receiver, String group, Instant now) {
    lastSent.put(new Key(receiver, group), now);
  }
}
