package io.haddns.controller.notify;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event to tell operators about. Its {@code id} is fixed when the event is written to the
 * outbox and travels in every payload, so a receiver that gets it twice (delivery is at least once)
 * can drop the copy.
 *
 * @param subject what the event is about, for grouping: a line, a record key, a zone, a node
 * @param summary one human-readable line, never containing secrets
 * @param details structured fields (line, from, to, zone, record, before, after, …)
 */
public record Notification(
    String id,
    EventKind kind,
    Severity severity,
    Instant at,
    String cluster,
    String node,
    long epoch,
    String subject,
    String summary,
    Map<String, String> details) {
  public Notification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(summary, "summary");
    details = Map.copyOf(details);
  }

  /** The grouping key: notifications of one kind about one subject are summarised together. */
  public String groupKey() {
    return kind.label() + ":" + subject;
  }
}
