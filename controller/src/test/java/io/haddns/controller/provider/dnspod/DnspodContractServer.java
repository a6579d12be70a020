package io.haddns.controller.provider.dnspod;

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
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Address;

/**
 * A local stand-in for DNSPod's API 3.0 that checks requests the way the documentation describes:
 * it recomputes the TC3-HMAC-SHA256 signature from the received method, headers and body bytes with
 * the known SecretKey (its own implementation, not haddns' signer), checks the timestamp window,
 * the version and content type, and answers documented error codes ({@code AuthFailure.*}, {@code
 * RequestLimitExceeded} once when asked, {@code ResourceNotFound.NoDataOfRecord}, {@code
 * InvalidParameterValue.DomainNotExists}, {@code InvalidParameter.RecordLineInvalid}).
 */
final class DnspodContractServer implements AutoCloseable {
  static final String SECRET_ID = "AKIDhaddnsTestSecretId0123456789";
  static final String SECRET_KEY = "haddnsTestSecretKey0123456789abc";
  private static final Pattern AUTH =
      Pattern.compile(
          "TC3-HMAC-SHA256 Credential=([^/]+)/(\\d{4}-\\d{2}-\\d{2})/dnspod/tc3_request,"
              + " SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");
  private static final Set<String> LINES = Set.of("默认", "电信", "联通");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final String domain;
  final Map<Long, ObjectNode> records = new LinkedHashMap<>();
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final AtomicInteger throttled = new AtomicInteger();

  /** The X-TC-Timestamp of every request whose signature was valid, in order of arrival. */
  final List<Long> timestamps = new ArrayList<>();

  volatile int maxLimit = 3000;
  volatile boolean throttleNext;

  /** When set, the next request of action [0] is answered with error code [1] and message [2]. */
  volatile String[] refuseNext;

  /** When set, the next request is answered HTTP 200 with this HTML page. */
  volatile String htmlNext;

  private long nextId = 100;

  DnspodContractServer(String domain) throws IOException {
    this.domain = domain;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int calls(String action) {
    return calls.getOrDefault(action, new AtomicInteger()).get();
  }

  synchronized ObjectNode add(
      String name, String type, String value, long ttl, String line, String remark) {
    ObjectNode r = json.createObjectNode();
    r.put("RecordId", nextId++).put("Name", name).put("Type", type).put("Value", value);
    r.put("TTL", ttl).put("Line", line).put("Remark", remark).put("Status", "ENABLE");
    records.put(r.path("RecordId").asLong(), r);
    return r;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String html = htmlNext;
      if (html != null) {
        htmlNext = null;
        byte[] page = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/html");
        ex.sendResponseHeaders(200, page.length);
        ex.getResponseBody().write(page);
        return;
      }
      ObjectNode response;
      synchronized (this) {
        response = answer(ex, body);
      }
      response.put("RequestId", UUID.randomUUID().toString());
      ObjectNode root = json.createObjectNode();
      root.set("Response", response);
      byte[] bytes = json.writeValueAsBytes(root);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  private ObjectNode answer(HttpExchange ex, byte[] body) throws IOException {
    String action = ex.getRequestHeaders().getFirst("X-TC-Action");
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String ts = ex.getRequestHeaders().getFirst("X-TC-Timestamp");
    if (!ex.getRequestMethod().equals("POST")
        || !"application/json; charset=utf-8"
            .equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
      return error("InvalidParameter", "only POST with application/json; charset=utf-8");
    }
    if (auth == null || ts == null || action == null) {
      return error("MissingParameter", "The request is missing a required parameter");
    }
    Matcher m = AUTH.matcher(auth);
    if (!m.matches()) {
      return error(
          "AuthFailure.InvalidAuthorization", "Authorization header is not TC3-HMAC-SHA256");
    }
    if (!m.group(1).equals(SECRET_ID)) {
      return error("AuthFailure.SecretIdNotFound", "The SecretId is not found");
    }
    long timestamp = Long.parseLong(ts);
    if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
      return error("AuthFailure.SignatureExpire", "Signature expired");
    }
    List<String> signed = List.of(m.group(3).split(";"));
    if (!signed.contains("content-type") || !signed.contains("host")) {
      return error("AuthFailure.SignatureFailure", "content-type and host must be signed");
    }
    String date =
        DateTimeFormatter.ISO_LOCAL_DATE
            .withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochSecond(timestamp));
    if (!date.equals(m.group(2))
        || !m.group(4).equals(signature(ex, signed, body, timestamp, date))) {
      return error(
          "AuthFailure.SignatureFailure", "The provided credentials could not be validated");
    }
    if (!"2021-03-23".equals(ex.getRequestHeaders().getFirst("X-TC-Version"))) {
      return error("InvalidParameter", "X-TC-Version must be 2021-03-23");
    }
    timestamps.add(timestamp);
    calls.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    if (throttleNext) {
      throttleNext = false;
      throttled.incrementAndGet();
      return error("RequestLimitExceeded", "Your current request times equals to `20` in a second");
    }
    String[] refusal = refuseNext;
    if (refusal != null && refusal[0].equals(action)) {
      refuseNext = null;
      return error(refusal[1], refusal[2]);
    }
    JsonNode p = json.readTree(body);
    if (!domain.equals(p.path("Domain").asText())) {
      return error("InvalidParameterValue.DomainNotExists", "The domain does not exist");
    }
    return switch (action) {
      case "DescribeRecordList" -> list(p);
      case "CreateRecord" -> create(p);
      case "ModifyRecord" -> modify(p);
      case "ModifyRecordRemark" -> remark(p);
      case "DeleteRecord" -> delete(p);
      default -> error("InvalidAction", "The action does not exist");
    };
  }

  private String signature(
      HttpExchange ex, List<String> signed, byte[] body, long ts, String date) {
    try {
      StringBuilder canonical = new StringBuilder("POST\n/\n\n");
      for (String h : signed) {
        String v = ex.getRequestHeaders().getFirst(h);
        canonical
            .append(h)
            .append(':')
            .append(v == null ? "" : v.trim().toLowerCase(Locale.ROOT))
            .append('\n');
      }
      canonical
          .append('\n')
          .append(String.join(";", signed))
          .append('\n')
          .append(hex(sha256(body)));
      String toSign =
          "TC3-HMAC-SHA256\n"
              + ts
              + "\n"
              + date
              + "/dnspod/tc3_request\n"
              + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
      byte[] k = hmac(("TC3" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), date);
      k = hmac(hmac(k, "dnspod"), "tc3_request");
      return hex(hmac(k, toSign));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode list(JsonNode p) {
    String type = p.path("RecordType").asText(null);
    String line = p.path("RecordLine").asText(null);
    int offset = p.path("Offset").asInt(0);
    int limit = Math.min(maxLimit, p.path("Limit").asInt(100));
    List<ObjectNode> match =
        records.values().stream()
            .filter(r -> type == null || r.path("Type").asText().equals(type))
            .filter(r -> line == null || r.path("Line").asText().equals(line))
            .toList();
    if (match.isEmpty()) {
      return error("ResourceNotFound.NoDataOfRecord", "No records found");
    }
    ObjectNode response = json.createObjectNode();
    ObjectNode info = response.putObject("RecordCountInfo");
    ArrayNode list = response.putArray("RecordList");
    match.stream().skip(offset).limit(limit).forEach(list::add);
    info.put("SubdomainCount", match.size())
        .put("ListCount", list.size())
        .put("TotalCount", match.size());
    return response;
  }

  private ObjectNode create(JsonNode p) {
    ObjectNode problem = invalid(p);
    if (problem != null) {
      return problem;
    }
    ObjectNode r =
        add(
            p.path("SubDomain").asText("@"),
            p.path("RecordType").asText(),
            p.path("Value").asText(),
            p.path("TTL").asLong(600),
            p.path("RecordLine").asText(),
            p.path("Remark").asText(""));
    return json.createObjectNode().put("RecordId", r.path("RecordId").asLong());
  }

  private ObjectNode modify(JsonNode p) {
    ObjectNode r = records.get(p.path("RecordId").asLong());
    if (r == null) {
      return error("InvalidParameter.RecordIdInvalid", "The record id is invalid");
    }
    ObjectNode problem = invalid(p);
    if (problem != null) {
      return problem;
    }
    r.put("Name", p.path("SubDomain").asText("@")).put("Type", p.path("RecordType").asText());
    r.put("Value", p.path("Value").asText()).put("TTL", p.path("TTL").asLong(600));
    r.put("Line", p.path("RecordLine").asText());
    return json.createObjectNode().put("RecordId", r.path("RecordId").asLong());
  }

  private ObjectNode remark(JsonNode p) {
    ObjectNode r = records.get(p.path("RecordId").asLong());
    if (r == null) {
      return error("InvalidParameter.RecordIdInvalid", "The record id is invalid");
    }
    r.put("Remark", p.path("Remark").asText(""));
    return json.createObjectNode();
  }

  private ObjectNode delete(JsonNode p) {
    if (records.remove(p.path("RecordId").asLong()) == null) {
      return error("InvalidParameter.RecordIdInvalid", "The record id is invalid");
    }
    return json.createObjectNode();
  }

  private ObjectNode invalid(JsonNode p) {
    if (!LINES.contains(p.path("RecordLine").asText())) {
      return error("InvalidParameter.RecordLineInvalid", "The record line is invalid");
    }
    String type = p.path("RecordType").asText();
    int family = type.equals("A") ? Address.IPv4 : type.equals("AAAA") ? Address.IPv6 : -1;
    try {
      if (family < 0
          || (family == Address.IPv4 && !Address.isDottedQuad(p.path("Value").asText()))) {
        throw new IOException("bad");
      }
      Address.getByAddress(p.path("Value").asText(), family);
    } catch (IOException e) {
      return error("InvalidParameter.RecordValueInvalid", "The record value is invalid");
    }
    long ttl = p.path("TTL").asLong(600);
    if (ttl < 1 || ttl > 604800) {
      return error("InvalidParameter.InvalidTTL", "TTL out of range");
    }
    return null;
  }

  private ObjectNode error(String code, String message) {
    ObjectNode response = json.createObjectNode();
    response.putObject("Error").put("Code", code).put("Message", message);
    return response;
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static byte[] hmac(byte[] key, String msg) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(msg.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
