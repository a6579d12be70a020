package io.haddns.controller.provider.powerdns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.provider.ProviderException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The two calls haddns makes to the PowerDNS Authoritative HTTP API
 * (https://doc.powerdns.com/authoritative/http-api/zone.html): {@code GET
 * /api/v1/servers/{server}/zones/{zone}} and {@code PATCH} of the same URL with an {@code rrsets}
 * body (204 No Content on success). Every request carries {@code X-API-Key}. Nothing is retried
 * here. Not thread-safe beyond what {@link HttpClient} is; blocks up to the configured timeout.
 */
final class PowerDnsApi implements AutoCloseable {

  /** An HTTP answer, reduced to what classification needs. */
  record Response(
      int status, Optional<String> contentType, Optional<String> retryAfter, String body) {
    Response {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(retryAfter, "retryAfter");
      Objects.requireNonNull(body, "body");
    }
  }

  /** Sends one request; replaced in unit tests. */
  @FunctionalInterface
  interface Exchange {
    Response send(HttpRequest request) throws IOException, InterruptedException;
  }

  private final ObjectMapper json;
  private final URI zoneUrl;
  private final String apiKey;
  private final Duration timeout;
  private final Exchange exchange;
  private final Optional<HttpClient> client;
  private final ApiAnswers answers;

  PowerDnsApi(
      String zone,
      ProviderConfig.PowerDns config,
      ObjectMapper json,
      ApiAnswers answers,
      Optional<Exchange> exchange) {
    this.json = json;
    this.answers = answers;
    this.timeout = config.timeout();
    this.apiKey = new String(config.apiKey().value(), StandardCharsets.ISO_8859_1);
    // The zone id of a plain host name is the name with its trailing dot (the API's "id").
    this.zoneUrl =
        URI.create(config.url() + "/api/v1/servers/" + config.serverId() + "/zones/" + zone + ".");
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

  @Override
  public void close() {
    client.ifPresent(HttpClient::close);
  }

  URI zoneUrl() {
    return zoneUrl;
  }

  /** The zone object with its RRsets. */
  JsonNode getZone() throws ProviderException {
    HttpRequest request = base().GET().build();
    return answers.body("GET zone", send(request, "GET zone"));
  }

  /** Applies one PATCH; PowerDNS applies all its RRsets in one backend transaction. */
  void patch(ObjectNode body, String what) throws ProviderException {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a PATCH body", e);
    }
    HttpRequest request =
        base()
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    answers.check(what, send(request, what));
  }

  private HttpRequest.Builder base() {
    return HttpRequest.newBuilder(zoneUrl)
        .timeout(timeout)
        .header("Accept", "application/json")
        .header("X-API-Key", apiKey);
  }

  private Response send(HttpRequest request, String what) throws ProviderException {
    try {
      return exchange.send(request);
    } catch (IOException e) {
      throw answers.ioFailure(what, zoneUrl.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw answers.ioFailure(what, zoneUrl.toString(), new IOException("interrupted", e));
    }
  }

  private static Exchange httpExchange(HttpClient client) {
    return request -> {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(
          r.statusCode(),
          r.headers().firstValue("Content-Type"),
          r.headers().firstValue("Retry-After"),
          r.body());
    };
  }
}
