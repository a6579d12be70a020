package io.haddns.controller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one node's gateway refused from the sources over the threshold in one window: written by
 * that node, unfenced, to its own node under {@code refusals/} and read by the leader
 * (docs/notifications.md, "Gateway abuse"). Bounded: at most {@code maxSources} entries of bounded
 * fields, a few claimed credentials each.
 */
public record RefusalSummary(
    String node, Instant windowStart, Duration window, List<Entry> entries) {
  /** Claimed credentials kept per entry. */
  static final int MAX_CREDENTIALS = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  public RefusalSummary {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(window, "window");
    entries = List.copyOf(entries);
  }

  /**
   * Refusals of one category from one source in the window.
   *
   * @param outcomes refusals by answer label
   * @param credentials up to {@link #MAX_CREDENTIALS} users or agents the source claimed
   */
  public record Entry(
      String category,
      String source,
      long refusals,
      Map<String, Long> outcomes,
      List<String> credentials) {
    public Entry {
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(source, "source");
      outcomes = Map.copyOf(outcomes);
      credentials = List.copyOf(credentials);
    }
  }

  public byte[] encode() {
    ObjectNode o = JSON.createObjectNode();
    o.put("node", node);
    o.put("windowStart", windowStart.toEpochMilli());
    o.put("windowMillis", window.toMillis());
    ArrayNode list = o.putArray("entries");
    for (Entry e : entries) {
      ObjectNode j = list.addObject();
      j.put("category", e.category());
      j.put("source", e.source());
      j.put("refusals", e.refusals());
      ObjectNode outcomes = j.putObject("outcomes");
      new TreeMap<>(e.outcomes()).forEach(outcomes::put);
      ArrayNode creds = j.putArray("credentials");
      e.credentials().forEach(creds::add);
    }
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("JSON encoding failed", e);
    }
  }

  /** The summary in {@code data}; throws IllegalArgumentException when it is not one. */
  public static RefusalSummary decode(byte[] data) {
    JsonNode o;
    try {
      o = JSON.readTree(data);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (o == null || !o.path("windowStart").canConvertToLong()) {
      throw new IllegalArgumentException("not a refusal summary");
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode j : o.path("entries")) {
      Map<String, Long> outcomes = new TreeMap<>();
      j.path("outcomes").properties().forEach(p -> outcomes.put(p.getKey(), p.getValue().asLong()));
      List<String> creds = new ArrayList<>();
      j.path("credentials").forEach(c -> creds.add(c.asText()));
      entries.add(
          new Entry(
              j.path("category").asText(),
              j.path("source").asText(),
              j.path("refusals").asLong(),
              outcomes,
              creds));
    }
    return new RefusalSummary(
        o.path("node").asText(),
        Instant.ofEpochMilli(o.path("windowStart").asLong()),
        Duration.ofMillis(o.path("windowMillis").asLong()),
        entries);
  }
}
