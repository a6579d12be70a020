package io.haddns.controller.provider.alidns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The Alibaba Cloud DNS actions haddns calls (API version 2015-01-09, RPC style): {@code
 * DescribeDomainRecords}, {@code AddDomainRecord}, {@code UpdateDomainRecord}, {@code
 * DeleteDomainRecord} and {@code UpdateDomainRecordRemark}. Each is one signed {@code GET} (see
 * {@link AlidnsSigner}) with the common parameters {@code AccessKeyId}, {@code Format=JSON}, {@code
 * Version}, {@code SignatureMethod=HMAC-SHA1}, {@code SignatureVersion=1.0}, a random {@code
 * SignatureNonce} and an ISO 8601 UTC {@code Timestamp}, paced by the {@link RequestPacer} and
 * classified by {@link AlidnsErrors}. Nothing is retried here.
 *
 * <p>Threading: one caller at a time; each call blocks up to the configured timeout plus pacing.
 */
final class AlidnsApi implements AutoCloseable {
  static final String VERSION = "2015-01-09";

  /** DescribeDomainRecords' largest PageSize. */
  static final int PAGE_SIZE = 500;

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** An HTTP answer, reduced to what classification needs. */
  record Response(int status, Optional<String> contentType, String body) {
    Response {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
    }
  }

  /** Sends one request; replaced in unit tests. */
  @FunctionalInterface
  interface Exchange {
    Response send(HttpRequest request) throws IOException, InterruptedException;
  }

  /** The API refused the request with a code the caller said it handles itself. */
  static final class Refused extends Exception {
    private final String code;

    Refused(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  private final String domain;
  private final ProviderConfig.Alidns config;
  private final byte[] secret;
  private final ObjectMapper json = new ObjectMapper();
  private final AlidnsErrors errors;
  private final RequestPacer pacer;
  private final InstantSource clock;
  private final Supplier<String> nonces;
  private final Optional<HttpClient> client;
  private final Exchange exchange;

  AlidnsApi(
      String domain,
      ProviderConfig.Alidns config,
      RequestPacer pacer,
      InstantSource clock,
      Supplier<String> nonces,
      Optional<Exchange> exchange) {
    this.domain = domain;
    this.config = config;
    this.secret = config.accessKeySecret().value();
    this.errors = new AlidnsErrors(domain);
    this.pacer = pacer;
    this.clock = clock;
    this.nonces = nonces;
    this.client =
        exchange.isPresent()
            ? Optional.empty()
            : Optional.of(
                HttpClient.newBuilder()
                    .connectTimeout(config.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build());
    this.exchange = exchange.orElseGet(() -> httpExchange(client.orElseThrow()));
  }

  static Supplier<String> randomNonces() {
    return () -> UUID.randomUUID().toString();
  }

  /** Every record of {@code type} in the domain, following PageNumber until TotalCount is seen. */
  List<JsonNode> describeRecords(String type) throws ProviderException {
    List<JsonNode> out = new ArrayList<>();
    for (int page = 1; ; page++) {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("DomainName", domain);
      p.put("TypeKeyWord", type);
      p.put("PageNumber", Integer.toString(page));
      p.put("PageSize", Integer.toString(PAGE_SIZE));
      JsonNode body = call("DescribeDomainRecords", p);
      JsonNode records = body.path("DomainRecords").path("Record");
      long total = body.path("TotalCount").asLong(-1);
      if (!records.isArray() || total < 0) {
        throw new PermanentProviderException(
            "alidns zone "
                + domain
                + ": DescribeDomainRecords answered JSON without DomainRecords.Record and"
                + " TotalCount (is endpoint the Alibaba Cloud DNS API?)");
      }
      records.forEach(out::add);
      if (records.isEmpty() || (long) page * PAGE_SIZE >= total) {
        return out;
      }
    }
  }

  /** Adds one record on the configured line; returns its RecordId. */
  String add(String rr, String type, String value, long ttl, Set<String> handled)
      throws ProviderException, Refused {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("DomainName", domain);
    p.put("RR", rr);
    p.put("Type", type);
    p.put("Value", value);
    p.put("TTL", Long.toString(ttl));
    p.put("Line", config.line());
    return call("AddDomainRecord", p, handled).path("RecordId").asText();
  }

  void update(String recordId, String rr, String type, String value, long ttl, Set<String> handled)
      throws ProviderException, Refused {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("RecordId", recordId);
    p.put("RR", rr);
    p.put("Type", type);
    p.put("Value", value);
    p.put("TTL", Long.toString(ttl));
    p.put("Line", config.line());
    call("UpdateDomainRecord", p, handled);
  }

  void delete(String recordId, Set<String> handled) throws ProviderException, Refused {
    call("DeleteDomainRecord", Map.of("RecordId", recordId), handled);
  }

  void remark(String recordId, String remark) throws ProviderException {
    call("UpdateDomainRecordRemark", Map.of("RecordId", recordId, "Remark", remark));
  }

  @Override
  public void close() {
    client.ifPresent(HttpClient::close);
  }

  private JsonNode call(String action, Map<String, String> parameters) throws ProviderException {
    try {
      return call(action, parameters, Set.of());
    } catch (Refused e) {
      throw new IllegalStateException("no code was declared handled", e);
    }
  }

  private JsonNode call(String action, Map<String, String> parameters, Set<String> handled)
      throws ProviderException, Refused {
    // Sign only once the pacer lets the request go: the Timestamp must be fresh when it arrives.
    pace(action);
    Map<String, String> p = new LinkedHashMap<>(parameters);
    p.put("Action", action);
    p.put("AccessKeyId", config.accessKeyId());
    p.put("Format", "JSON");
    p.put("Version", VERSION);
    p.put("SignatureMethod", "HMAC-SHA1");
    p.put("SignatureVersion", "1.0");
    p.put("SignatureNonce", nonces.get());
    p.put("Timestamp", TIMESTAMP.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    URI uri = URI.create(config.endpoint() + "?" + AlidnsSigner.signedQuery("GET", p, secret));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(config.timeout())
            .header("Accept", "application/json")
            .GET()
            .build();
    Response r = send(action, request);
    Optional<JsonNode> body = parse(r.body());
    if (r.status() >= 200 && r.status() < 300 && body.isPresent()) {
      if (AlidnsErrors.code(body).isEmpty()) {
        return body.get();
      }
    }
    Optional<String> code = AlidnsErrors.code(body);
    if (code.isPresent() && handled.contains(code.get())) {
      throw new Refused(code.get(), body.get().path("Message").asText(""));
    }
    if (r.status() >= 200 && r.status() < 300) {
      throw code.isPresent() ? errors.classify(action, r, body) : errors.notJson(action, r);
    }
    throw errors.classify(action, r, body);
  }

  private void pace(String action) throws TransientProviderException {
    try {
      pacer.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientProviderException(
          "alidns zone " + domain + ": " + action + " interrupted", e);
    }
  }

  private Response send(String action, HttpRequest request) throws ProviderException {
    String where = config.endpoint().toString();
    try {
      return exchange.send(request);
    } catch (IOException e) {
      throw errors.ioFailure(action, where, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientProviderException(
          "alidns zone " + domain + ": " + action + " interrupted", e);
    }
  }

  private Optional<JsonNode> parse(String body) {
    try {
      JsonNode node = json.readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static Exchange httpExchange(HttpClient client) {
    return request -> {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type"), r.body());
    };
  }
}
