package io.haddns.controller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * JSON of notifications: in the outbox, in dead letters and in webhook payloads (one shape, which
 * docs/notifications.md documents). Thread-safe.
 */
public final class NotificationCodec {
  private final ObjectMapper json = new ObjectMapper();

  public ObjectNode toJson(Notification n) {
    ObjectNode o = json.createObjectNode();
    o.put("id", n.id());
    o.put("kind", n.kind().label());
    o.put("severity", n.severity().label());
    o.put("at", n.at().toString());
    o.put("cluster", n.cluster());
    o.put("node", n.node());
    o.put("epoch", n.epoch());
    o.put("subject", n.subject());
    o.put("summary", n.summary());
    ObjectNode d = o.putObject("details");
    new TreeMap<>(n.details()).forEach(d::put);
    return o;
  }

  public Notification fromJson(JsonNode o) {
    Map<String, String> details = new HashMap<>();
    o.path("details").properties().forEach(e -> details.put(e.getKey(), e.getValue().asText()));
    return new Notification(
        o.path("id").asText(),
        EventKind.fromLabel(o.path("kind").asText())
            .orElseThrow(() -> new IllegalArgumentException("unknown kind " + o.path("kind"))),
        Severity.fromLabel(o.path("severity").asText()).orElse(Severity.WARNING),
        Instant.parse(o.path("at").asText()),
        o.path("cluster").asText(),
        o.path("node").asText(),
        o.path("epoch").asLong(),
        o.path("subject").asText(),
        o.path("summary").asText(),
        details);
  }

  public byte[] encode(OutboxRecord r) {
    ObjectNode o = json.createObjectNode();
    o.set("notification", toJson(r.notification()));
    ArrayNode done = o.putArray("done");
    r.done().stream().sorted().forEach(done::add);
    ObjectNode attempts = o.putObject("attempts");
    new TreeMap<>(r.attempts()).forEach(attempts::put);
    return bytes(o);
  }

  public OutboxRecord decode(byte[] data) {
    JsonNode o = tree(data);
    Set<String> done = new HashSet<>();
    o.path("done").forEach(d -> done.add(d.asText()));
    Map<String, Integer> attempts = new HashMap<>();
    o.path("attempts").properties().forEach(e -> attempts.put(e.getKey(), e.getValue().asInt()));
    return new OutboxRecord(fromJson(o.path("notification")), done, attempts);
  }

  /** A dead letter: the notification, the receiver that did not take it, and why. */
  public record DeadLetter(Notification notification, String receiver, String reason, Instant at) {}

  public byte[] encode(DeadLetter d) {
    ObjectNode o = json.createObjectNode();
    o.set("notification", toJson(d.notification()));
    o.put("receiver", d.receiver());
    o.put("reason", d.reason());
    o.put("at", d.at().toString());
    return bytes(o);
  }

  public DeadLetter decodeDeadLetter(byte[] data) {
    JsonNode o = tree(data);
    return new DeadLetter(
        fromJson(o.path("notification")),
        o.path("receiver").asText(),
        o.path("reason").asText(),
        Instant.parse(o.path("at").asText()));
  }

  /** The webhook payload: the cluster and the notifications of one message, oldest first. */
  public byte[] payload(String cluster, List<Notification> batch) {
    ObjectNode o = json.createObjectNode();
    o.put("version", 1);
    o.put("cluster", cluster);
    ArrayNode events = o.putArray("events");
    batch.forEach(n -> events.add(toJson(n)));
    return bytes(o);
  }

  /** Any JSON value as bytes (chat payloads). */
  public byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("JSON encoding failed", e);
    }
  }

  public ObjectNode object() {
    return json.createObjectNode();
  }

  public JsonNode tree(byte[] data) {
    try {
      return json.readTree(data);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }
}
