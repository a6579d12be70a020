package io.haddns.controller.provider.alidns;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A contract double of the Alibaba Cloud DNS RPC API (2015-01-09) on 127.0.0.1. It checks every
 * request as the documented signature algorithm says, with its own implementation (request
 * signatures: https://www.alibabacloud.com/help/doc-detail/29747.htm): the common parameters, a
 * {@code yyyy-MM-ddTHH:mm:ssZ} UTC Timestamp ({@code InvalidTimeStamp.Format}), an unused
 * SignatureNonce ({@code SignatureNonceUsed}), the AccessKeyId ({@code
 * InvalidAccessKeyId.NotFound}) and the HMAC-SHA1 signature ({@code SignatureDoesNotMatch}, HTTP
 * 400). It implements DescribeDomainRecords (PageNumber/PageSize up to 500, TypeKeyWord),
 * AddDomainRecord, UpdateDomainRecord, DeleteDomainRecord and UpdateDomainRecordRemark with the
 * documented JSON answers and error codes ({@code InvalidDomainName.NoExist}, {@code
 * DomainRecordDuplicate}, {@code DomainRecordNotBelongToUser}), and can be told to throttle ({@code
 * Throttling.User}), fail after applying, or answer an HTML page once.
 */
final class FakeAlidnsServer implements AutoCloseable {
  static final String KEY_ID = "LTAI5tTestKeyId";
  static final String SECRET = "fake-alidns-secret-0123456789";

  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
  private static final Set<String> COMMON =
      Set.of(
          "Action",
          "AccessKeyId",
          "Format",
          "Version",
          "Signature",
          "SignatureMethod",
          "SignatureVersion",
          "SignatureNonce",
          "Timestamp");

  /** One stored record; mutable like the service's own. */
  static final class Rec {
    final String id;
    final String domain;
    String rr;
    String type;
    String value;
    long ttl;
    String line;
    String remark;

    Rec(String id, String domain, String rr, String type, String value, long ttl, String line) {
      this.id = id;
      this.domain = domain;
      this.rr = rr;
      this.type = type;
      this.value = value;
      this.ttl = ttl;
      this.line = line;
    }

    boolean sameAs(String rr, String type, String value, String line) {
      return this.rr.equals(rr)
          && this.type.equals(type)
          && normal(this.value).equals(normal(value))
          && this.line.equals(line);
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final Set<String> domains;
  private final Map<String, Rec> records = new LinkedHashMap<>();
  private final Set<String> nonces = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(3_000_000_000L);
  private final Map<String, Integer> throttle = new ConcurrentHashMap<>();
  private final Map<String, Integer> failAfterApplying = new ConcurrentHashMap<>();
  private volatile boolean garbageNext;
  private final Map<String, java.util.Deque<String[]>> refusals = new ConcurrentHashMap<>();

  FakeAlidnsServer(String... domains) throws IOException {
    // Without TCP_NODELAY each small keep-alive answer waits for the client's delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.domains = Set.of(domains);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  synchronized Rec seed(
      String domain, String rr, String type, String value, long ttl, String line, String remark) {
    Rec r = new Rec(Long.toString(nextId.getAndIncrement()), domain, rr, type, value, ttl, line);
    r.remark = remark;
    records.put(r.id, r);
    return r;
  }

  synchronized List<Rec> records() {
    return List.copyOf(records.values());
  }

  synchronized List<Rec> records(String rr, String type) {
    return records.values().stream().filter(r -> r.rr.equals(rr) && r.type.equals(type)).toList();
  }

  int calls(String action) {
    return calls.getOrDefault(action, new AtomicInteger()).get();
  }

  Map<String, Integer> allCalls() {
    Map<String, Integer> out = new TreeMap<>();
    calls.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  void resetCalls() {
    calls.clear();
  }

  /** The next {@code times} requests of {@code action} are answered {@code Throttling.User}. */
  void throttle(String action, int times) {
    throttle.put(action, times);
  }

  /** The next {@code action} is carried out, then answered {@code InternalError} (HTTP 500). */
  void failAfterApplying(String action) {
    failAfterApplying.put(action, 1);
  }

  /** The next request is answered by an HTML page, as a captive proxy would. */
  void garbageNext() {
    garbageNext = true;
  }

  /** The next {@code times} requests of {@code action} are answered with this error. */
  void refuse(String action, int times, int status, String code, String message) {
    java.util.Deque<String[]> q =
        refusals.computeIfAbsent(action, a -> new java.util.concurrent.ConcurrentLinkedDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(new String[] {Integer.toString(status), code, message});
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (garbageNext) {
        garbageNext = false;
        send(ex, 200, "text/html", "<html><body><h1>Welcome to the hotel Wi-Fi</h1></body></html>");
        return;
      }
      Map<String, String> p = new TreeMap<>();
      String raw = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
      for (String pair : raw.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        p.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
      Optional<String> refused = authenticate(ex.getRequestMethod(), p);
      if (refused.isPresent()) {
        String[] parts = refused.get().split("\\|", 3);
        error(ex, Integer.parseInt(parts[0]), parts[1], parts[2]);
        return;
      }
      String action = p.get("Action");
      calls.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
      String[] refusal =
          Optional.ofNullable(refusals.get(action)).map(java.util.Deque::poll).orElse(null);
      if (refusal != null) {
        error(ex, Integer.parseInt(refusal[0]), refusal[1], refusal[2]);
        return;
      }
      if (throttle.getOrDefault(action, 0) > 0) {
        throttle.merge(action, -1, Integer::sum);
        error(ex, 400, "Throttling.User", "Request was denied due to user flow control.");
        return;
      }
      synchronized (this) {
        answer(ex, action, p);
      }
    }
  }

  /** "status|Code|Message" when the request must be refused before its action. */
  private Optional<String> authenticate(String method, Map<String, String> p) {
    for (String c : COMMON) {
      if (!p.containsKey(c)) {
        return Optional.of("400|MissingParameter|" + c + " is mandatory for this action.");
      }
    }
    if (!"JSON".equals(p.get("Format"))
        || !"2015-01-09".equals(p.get("Version"))
        || !"HMAC-SHA1".equals(p.get("SignatureMethod"))
        || !"1.0".equals(p.get("SignatureVersion"))) {
      return Optional.of("400|InvalidParameter|Format, Version or signature method is wrong.");
    }
    if (!TIMESTAMP.matcher(p.get("Timestamp")).matches()) {
      return Optional.of(
          "400|InvalidTimeStamp.Format|Specified time stamp or date value is not well formatted.");
    }
    if (!KEY_ID.equals(p.get("AccessKeyId"))) {
      return Optional.of("404|InvalidAccessKeyId.NotFound|Specified access key is not found.");
    }
    Map<String, String> signed = new TreeMap<>(p);
    String given = signed.remove("Signature");
    StringBuilder canonical = new StringBuilder();
    signed.forEach(
        (k, v) ->
            canonical
                .append(canonical.isEmpty() ? "" : "&")
                .append(enc(k))
                .append('=')
                .append(enc(v)));
    String toSign = method + "&" + enc("/") + "&" + enc(canonical.toString());
    if (!hmac(toSign).equals(given)) {
      return Optional.of(
          "400|SignatureDoesNotMatch|Specified signature is not matched with our calculation.");
    }
    if (!nonces.add(p.get("SignatureNonce"))) {
      return Optional.of("400|SignatureNonceUsed|Specified signature nonce was used already.");
    }
    return Optional.empty();
  }

  private void answer(HttpExchange ex, String action, Map<String, String> p) throws IOException {
    ObjectNode out = json.createObjectNode();
    out.put("RequestId", UUID.randomUUID().toString().toUpperCase());
    switch (action) {
      case "DescribeDomainRecords" -> {
        if (!knownDomain(ex, p)) {
          return;
        }
        int page = Integer.parseInt(p.getOrDefault("PageNumber", "1"));
        int size = Integer.parseInt(p.getOrDefault("PageSize", "20"));
        if (size < 1 || size > 500 || page < 1) {
          error(ex, 400, "InvalidPageSize", "The specified PageSize is invalid.");
          return;
        }
        List<Rec> matching = new ArrayList<>();
        for (Rec r : records.values()) {
          if (r.domain.equals(p.get("DomainName"))
              && (!p.containsKey("TypeKeyWord") || r.type.equals(p.get("TypeKeyWord")))) {
            matching.add(r);
          }
        }
        ArrayNode list = out.putObject("DomainRecords").putArray("Record");
        for (int i = (page - 1) * size; i < Math.min(matching.size(), page * size); i++) {
          Rec r = matching.get(i);
          ObjectNode o = list.addObject();
          o.put("DomainName", r.domain);
          o.put("RecordId", r.id);
          o.put("RR", r.rr);
          o.put("Type", r.type);
          o.put("Value", r.value);
          o.put("TTL", r.ttl);
          o.put("Line", r.line);
          o.put("Status", "ENABLE");
          o.put("Locked", false);
          o.put("Weight", 1);
          if (r.remark != null) {
            o.put("Remark", r.remark);
          }
        }
        out.put("TotalCount", matching.size());
        out.put("PageNumber", page);
        out.put("PageSize", size);
      }
      case "AddDomainRecord" -> {
        if (!knownDomain(ex, p) || !required(ex, p, "RR", "Type", "Value")) {
          return;
        }
        String line = p.getOrDefault("Line", "default");
        for (Rec r : records.values()) {
          if (r.domain.equals(p.get("DomainName"))
              && r.sameAs(p.get("RR"), p.get("Type"), p.get("Value"), line)) {
            error(ex, 400, "DomainRecordDuplicate", "The DNS record already exists.");
            return;
          }
        }
        Rec r =
            new Rec(
                Long.toString(nextId.getAndIncrement()),
                p.get("DomainName"),
                p.get("RR"),
                p.get("Type"),
                p.get("Value"),
                Long.parseLong(p.getOrDefault("TTL", "600")),
                line);
        records.put(r.id, r);
        out.put("RecordId", r.id);
      }
      case "UpdateDomainRecord" -> {
        if (!required(ex, p, "RecordId", "RR", "Type", "Value")) {
          return;
        }
        Rec r = records.get(p.get("RecordId"));
        if (r == null) {
          error(ex, 400, "DomainRecordNotBelongToUser", "The DNS record does not exist.");
          return;
        }
        String line = p.getOrDefault("Line", "default");
        long ttl = Long.parseLong(p.getOrDefault("TTL", "600"));
        for (Rec o : records.values()) {
          if (o.domain.equals(r.domain)
              && o.sameAs(p.get("RR"), p.get("Type"), p.get("Value"), line)
              && (o != r || o.ttl == ttl)) {
            error(ex, 400, "DomainRecordDuplicate", "The DNS record already exists.");
            return;
          }
        }
        r.rr = p.get("RR");
        r.type = p.get("Type");
        r.value = p.get("Value");
        r.ttl = ttl;
        r.line = line;
        out.put("RecordId", r.id);
      }
      case "DeleteDomainRecord" -> {
        if (!required(ex, p, "RecordId")) {
          return;
        }
        if (records.remove(p.get("RecordId")) == null) {
          error(ex, 400, "DomainRecordNotBelongToUser", "The DNS record does not exist.");
          return;
        }
        out.put("RecordId", p.get("RecordId"));
      }
      case "UpdateDomainRecordRemark" -> {
        if (!required(ex, p, "RecordId")) {
          return;
        }
        Rec r = records.get(p.get("RecordId"));
        if (r == null) {
          error(ex, 400, "DomainRecordNotBelongToUser", "The DNS record does not exist.");
          return;
        }
        r.remark = p.get("Remark");
      }
      default -> {
        error(ex, 404, "InvalidAction.NotFound", "Specified api is not found.");
        return;
      }
    }
    if (failAfterApplying.remove(action) != null) {
      error(
          ex, 500, "InternalError", "The request processing has failed due to some unknown error.");
      return;
    }
    send(ex, 200, "application/json;charset=utf-8", json.writeValueAsString(out));
  }

  private boolean knownDomain(HttpExchange ex, Map<String, String> p) throws IOException {
    if (!domains.contains(p.get("DomainName"))) {
      error(ex, 400, "InvalidDomainName.NoExist", "The specified domain name does not exist.");
      return false;
    }
    return true;
  }

  private boolean required(HttpExchange ex, Map<String, String> p, String... names)
      throws IOException {
    for (String n : names) {
      if (!p.containsKey(n) || p.get(n).isEmpty()) {
        error(ex, 400, "MissingParameter", n + " is mandatory for this action.");
        return false;
      }
    }
    return true;
  }

  private void error(HttpExchange ex, int status, String code, String message) throws IOException {
    ObjectNode o = json.createObjectNode();
    o.put("RequestId", UUID.randomUUID().toString().toUpperCase());
    o.put("HostId", "alidns.aliyuncs.com");
    o.put("Code", code);
    o.put("Message", message);
    o.put("Recommend", "https://api.aliyun.com/troubleshoot?q=" + code + "&product=Alidns");
    send(ex, status, "application/json;charset=utf-8", json.writeValueAsString(o));
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** RFC 3986 percent-encoding as the signature documentation specifies it. */
  private static String enc(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128 || "-_.~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(String.format("%%%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String hmac(String toSign) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec((SECRET + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String normal(String value) {
    if (!value.matches("[0-9A-Fa-f:.]+")) {
      return value;
    }
    try {
      return InetAddress.getByName(value).getHostAddress();
    } catch (IOException e) {
      return value;
    }
  }
}
