package io.haddns.controller.provider.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;

/**
 * A local stand-in for the Cloudflare API v4 that enforces what the documentation says: the Bearer
 * token (else 403 with error 10000), zone look-up by name, paginated listing ({@code page}, {@code
 * per_page}, capped by {@link #maxPerPage}), atomic batches (deletes, patches, puts, posts in that
 * order) of at most {@link #batchLimit} operations, 7003 for unknown zone ids, 81044 for unknown
 * record ids, and one HTTP 429 with {@code Retry-After} when asked.
 */
final class CloudflareContractServer implements AutoCloseable {
  static final String TOKEN = "cf-test-token-0123456789abcdefghijklmn";
  static final String ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";
  private static final Pattern RECORDS = Pattern.compile("/client/v4/zones/([^/]+)/dns_records");
  private static final Pattern BATCH =
      Pattern.compile("/client/v4/zones/([^/]+)/dns_records/batch");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final String zoneName;
  final Map<String, ObjectNode> records = new LinkedHashMap<>();
  final AtomicInteger batchCalls = new AtomicInteger();
  final AtomicInteger listCalls = new AtomicInteger();
  final AtomicInteger rateLimited = new AtomicInteger();

  /** When set, the next batch call is answered with it (status, content type, body) instead. */
  volatile String[] nextBatchAnswer;

  volatile int maxPerPage = 5_000_000;
  volatile int batchLimit = 200;
  volatile boolean rateLimitNext;
  volatile int failBatchNumber = -1;
  private final AtomicInteger ids = new AtomicInteger();

  CloudflareContractServer(String zoneName) throws IOException {
    this.zoneName = zoneName;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/client/v4/", this::handle);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4");
  }

  synchronized ObjectNode add(
      String name, String type, String content, long ttl, boolean proxied, String comment) {
    ObjectNode r = json.createObjectNode();
    String id = String.format("%032x", ids.incrementAndGet());
    r.put("id", id).put("zone_id", ZONE_ID).put("zone_name", zoneName).put("name", name);
    r.put("type", type).put("content", content).put("ttl", ttl).put("proxied", proxied);
    automaticTtlWhenProxied(r);
    if (comment == null) {
      r.putNull("comment");
    } else {
      r.put("comment", comment);
    }
    records.put(id, r);
    return r;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      synchronized (this) {
        route(ex);
      }
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (!("Bearer " + TOKEN).equals(auth)) {
      error(ex, 403, 10000, "Authentication error");
      return;
    }
    if (rateLimitNext) {
      rateLimitNext = false;
      rateLimited.incrementAndGet();
      ex.getResponseHeaders().add("Retry-After", "3");
      error(ex, 429, 971, "Please wait and consider throttling your request speed");
      return;
    }
    String path = ex.getRequestURI().getPath();
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    Matcher batch = BATCH.matcher(path);
    Matcher list = RECORDS.matcher(path);
    if (path.equals("/client/v4/zones") && ex.getRequestMethod().equals("GET")) {
      ArrayNode result = json.createArrayNode();
      if (zoneName.equals(query.get("name"))) {
        result.addObject().put("id", ZONE_ID).put("name", zoneName).put("status", "active");
      }
      ok(ex, result, info(1, 50, result.size(), result.size()));
    } else if (batch.matches() && ex.getRequestMethod().equals("POST")) {
      if (!batch.group(1).equals(ZONE_ID)) {
        error(
            ex,
            404,
            7003,
            "Could not route to " + path + ", perhaps your object identifier is invalid?");
        return;
      }
      String ct = ex.getRequestHeaders().getFirst("Content-Type");
      if (ct == null || !ct.startsWith("application/json")) {
        error(ex, 415, 6003, "Invalid request headers");
        return;
      }
      String[] canned = nextBatchAnswer;
      if (canned != null) {
        nextBatchAnswer = null;
        batchCalls.incrementAndGet();
        byte[] bytes = canned[2].getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", canned[1]);
        ex.sendResponseHeaders(Integer.parseInt(canned[0]), bytes.length);
        ex.getResponseBody().write(bytes);
        return;
      }
      batch(ex, json.readTree(ex.getRequestBody()));
    } else if (list.matches() && ex.getRequestMethod().equals("GET")) {
      if (!list.group(1).equals(ZONE_ID)) {
        error(
            ex,
            404,
            7003,
            "Could not route to " + path + ", perhaps your object identifier is invalid?");
        return;
      }
      listCalls.incrementAndGet();
      int page = Integer.parseInt(query.getOrDefault("page", "1"));
      int perPage = Math.min(maxPerPage, Integer.parseInt(query.getOrDefault("per_page", "100")));
      ArrayNode result = json.createArrayNode();
      records.values().stream()
          .skip((long) (page - 1) * perPage)
          .limit(perPage)
          .forEach(result::add);
      ok(ex, result, info(page, perPage, result.size(), records.size()));
    } else {
      error(ex, 404, 7000, "No route for that URI");
    }
  }

  /** Cloudflare serves proxied records with an automatic TTL and reports it as 1. */
  private static void automaticTtlWhenProxied(ObjectNode r) {
    if (r.path("proxied").asBoolean(false)) {
      r.put("ttl", 1);
    }
  }

  private void batch(HttpExchange ex, JsonNode body) throws IOException {
    int n = batchCalls.incrementAndGet();
    if (n == failBatchNumber) {
      error(ex, 500, 10001, "Internal error");
      return;
    }
    int ops =
        body.path("deletes").size()
            + body.path("patches").size()
            + body.path("puts").size()
            + body.path("posts").size();
    if (ops > batchLimit) {
      error(ex, 400, 81000, "Too many operations in one batch: " + ops);
      return;
    }
    // Atomic: validate every operation first, commit only if all are valid.
    java.util.Set<String> deleted = new java.util.HashSet<>();
    for (JsonNode d : body.path("deletes")) {
      if (!records.containsKey(d.path("id").asText()) || !deleted.add(d.path("id").asText())) {
        error(ex, 404, 81044, "Record does not exist.");
        return;
      }
    }
    java.util.List<ObjectNode> patched = new java.util.ArrayList<>();
    for (JsonNode p : body.path("patches")) {
      ObjectNode r = records.get(p.path("id").asText());
      if (r == null || deleted.contains(p.path("id").asText())) {
        error(ex, 404, 81044, "Record does not exist.");
        return;
      }
      ObjectNode merged = r.deepCopy();
      p.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
      automaticTtlWhenProxied(merged);
      String problem = invalid(merged);
      if (problem != null) {
        error(ex, 400, 9005, problem);
        return;
      }
      patched.add(merged);
    }
    java.util.List<ObjectNode> posted = new java.util.ArrayList<>();
    for (JsonNode p : body.path("posts")) {
      ObjectNode r = ((ObjectNode) p).deepCopy();
      if (!r.has("proxied")) {
        r.put("proxied", false);
      }
      automaticTtlWhenProxied(r);
      String problem = invalid(r);
      if (problem != null) {
        error(ex, 400, 9005, problem);
        return;
      }
      posted.add(r);
    }
    ObjectNode result = json.createObjectNode();
    for (String id : deleted) {
      result.withArray("deletes").add(records.remove(id));
    }
    for (ObjectNode merged : patched) {
      records.put(merged.path("id").asText(), merged);
      result.withArray("patches").add(merged);
    }
    for (ObjectNode r : posted) {
      String id = String.format("%032x", ids.incrementAndGet());
      r.put("id", id).put("zone_id", ZONE_ID).put("zone_name", zoneName);
      records.put(id, r);
      result.withArray("posts").add(r);
    }
    result.withArray("puts");
    result.withArray("deletes");
    result.withArray("patches");
    result.withArray("posts");
    ObjectNode envelope = envelope(true);
    envelope.set("result", result);
    send(ex, 200, envelope);
  }

  private static String invalid(JsonNode r) {
    String type = r.path("type").asText();
    String content = r.path("content").asText();
    long ttl = r.path("ttl").asLong(-1);
    if (!r.path("name").isTextual() || r.path("name").asText().isEmpty()) {
      return "DNS record name is required";
    }
    if (!(ttl == 1 || (ttl >= 60 && ttl <= 86400))) {
      return "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.";
    }
    int family = type.equals("A") ? Address.IPv4 : type.equals("AAAA") ? Address.IPv6 : -1;
    if (family < 0 || !Address.isDottedQuad(content) && family == Address.IPv4) {
      return "Content for " + type + " record is invalid";
    }
    try {
      Address.getByAddress(content, family);
    } catch (IOException e) {
      return "Content for " + type + " record is invalid";
    }
    if (r.has("proxied") && !r.path("proxied").isBoolean()) {
      return "proxied must be a boolean";
    }
    return null;
  }

  private ObjectNode envelope(boolean success) {
    ObjectNode e = json.createObjectNode();
    e.put("success", success);
    e.putArray("errors");
    e.putArray("messages");
    return e;
  }

  private ObjectNode info(int page, int perPage, int count, int total) {
    ObjectNode i = json.createObjectNode();
    i.put("page", page).put("per_page", perPage).put("count", count).put("total_count", total);
    i.put("total_pages", Math.max(1, (total + perPage - 1) / perPage));
    return i;
  }

  private void ok(HttpExchange ex, JsonNode result, ObjectNode info) throws IOException {
    ObjectNode e = envelope(true);
    e.set("result", result);
    e.set("result_info", info);
    send(ex, 200, e);
  }

  private void error(HttpExchange ex, int status, int code, String message) throws IOException {
    ObjectNode e = envelope(false);
    e.withArray("errors").addObject().put("code", code).put("message", message);
    e.putNull("result");
    send(ex, status, e);
  }

  private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw != null) {
      for (String part : raw.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          q.put(
              java.net.URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
              java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
