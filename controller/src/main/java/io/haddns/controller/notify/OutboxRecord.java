package io.haddns.controller.notify;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An outbox entry: the notification and its delivery progress, which survives a change of leader.
 *
 * @param done receivers that took it or gave up on it (dead-lettered)
 * @param attempts failed attempts so far, by receiver
 */
public record OutboxRecord(
    Notification notification, Set<String> done, Map<String, Integer> attempts) {
  public OutboxRecord {
    Objects.requireNonNull(notification, "notification");
    done = Set.copyOf(done);
    attempts = Map.copyOf(attempts);
  }

  public static OutboxRecord fresh(Notification n) {
    return new OutboxRecord(n, Set.of(), Map.of());
  }

  public int attempts(String receiver) {
    return attempts.getOrDefault(receiver, 0);
  }

  public OutboxRecord finished(String receiver) {
    Set<String> d = new HashSet<>(done);
    d.add(receiver);
    return new OutboxRecord(notification, d, attempts);
  }

  public OutboxRecord failedOnce(String receiver) {
    Map<String, Integer> a = new HashMap<>(attempts);
    a.merge(receiver, 1, Integer::sum);
    return new OutboxRecord(notification, done, a);
  }
}
