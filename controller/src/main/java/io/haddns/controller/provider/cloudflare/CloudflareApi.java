package io.haddns.controller.provider.cloudflare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls haddns makes to the Cloudflare API v4: zone look-up, paginated record listing and
 * record batches. Authenticates with {@code Authorization: Bearer <token>}; the token never appears
 * in messages or logs.
 *
 * <p>Blocking; one request at a time per caller. Every request is bounded by the configured timeout
 * (connect and response).
 *
 * @see <a href="https://developers.cloudflare.com/api/resources/dns/subresources/records/">DNS
 *     records API</a>
 */
final class CloudflareApi {
  static final int PAGE_SIZE = 1000;

  private final String zone;
  private final URI baseUrl;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;
  private final RequestPacer pacer;
  private final ObjectMapper json = new ObjectMapper();
  private final CloudflareErrors errors;

  CloudflareApi(String zone, ProviderConfig.Cloudflare config, InstantSource clock) {
    this(zone, config, clock, RequestPacer.realTime(config.requestsPerSecond()));
  }

  CloudflareApi(
      String zone, ProviderConfig.Cloudflare config, InstantSource clock, RequestPacer pacer) {
    this.zone = zone;
    this.baseUrl = config.baseUrl();
    this.authorization =
        "Bearer " + new String(config.token().value(), StandardCharsets.UTF_8).strip();
    this.timeout = config.timeout();
    this.pacer = pacer;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.errors = new CloudflareErrors(json, clock);
  }

  /** The identifier of the zone named {@code zone}. */
  String zoneId() throws ProviderException {
    JsonNode envelope = send("GET", "/zones?name=" + encode(zone), null);
    JsonNode result = envelope.path("result");
    for (JsonNode z : result) {
      if (zone.equalsIgnoreCase(z.path("name").asText())) {
        return z.path("id").asText();
      }
    }
    throw new PermanentProviderException(
        "cloudflare zone "
            + zone
            + ": not found at Cloudflare (or the API token lacks Zone Read on it)");
  }

  /** All A and AAAA records of the zone, every page. */
  List<CloudflareRecord> listRecords(String zoneId) throws ProviderException {
    List<CloudflareRecord> records = new ArrayList<>();
    int page = 1;
    int totalPages;
    do {
      JsonNode envelope =
          send(
              "GET",
              "/zones/" + zoneId + "/dns_records?page=" + page + "&per_page=" + PAGE_SIZE,
              null);
      for (JsonNode r : envelope.path("result")) {
        CloudflareRecord.fromJson(r).ifPresent(records::add);
      }
      totalPages = envelope.path("result_info").path("total_pages").asInt(1);
      page++;
    } while (page <= totalPages);
    return records;
  }

  /** Sends one {@code dns_records/batch} call; Cloudflare applies it in one transaction. */
  JsonNode batch(String zoneId, ObjectNode body) throws ProviderException {
    return send("POST", "/zones/" + zoneId + "/dns_records/batch", body);
  }

  ObjectMapper json() {
    return json;
  }

  private JsonNode send(String method, String path, ObjectNode body) throws ProviderException {
    String context = "cloudflare zone " + zone + ": " + method + " " + path.replaceAll("\\?.*", "");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    }
    HttpResponse<String> response;
    try {
      pacer.acquire();
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TransientProviderException(
          context + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientProviderException(context + ": interrupted", e);
    }
    return errors.check(
        context,
        response.statusCode(),
        response.headers().firstValue("Retry-After"),
        response.body());
  }

  private byte[] bytes(ObjectNode body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cloudflare zone " + zone + ": cannot write JSON", e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
