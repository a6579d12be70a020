package io.haddns.controller.provider.powerdns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Classifies PowerDNS API answers (the API's data format, "Errors":
 * https://docs.powerdns.com/recursor/common/api/dataformat.html, shared by the Authoritative
 * server; checked against pdns 4.7, which answers 401 and 404 with plain text): 2xx is success;
 * 401/403 is a wrong or missing API key; 404 an unknown zone or server id; 400 and 422 a request
 * PowerDNS refused (out-of-zone name, bad content) — all permanent. 429 and 5xx (and a proxy's
 * 502/503/504) are transient and honour {@code Retry-After}. Error bodies are {@code {"error":
 * "..."}} JSON; anything else (an HTML page from a proxy, plain text) is named as such. Messages
 * never carry the API key.
 */
final class ApiAnswers {
  private static final int MAX_QUOTED = 200;

  private final ObjectMapper json;
  private final String zone;

  ApiAnswers(ObjectMapper json, String zone) {
    this.json = json;
    this.zone = zone;
  }

  /** The answer's JSON body; {@code what} names the request in messages. */
  JsonNode body(String what, PowerDnsApi.Response r) throws ProviderException {
    check(what, r);
    try {
      JsonNode node = json.readTree(r.body());
      if (node == null || !node.isObject()) {
        throw notJson(what, r);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw notJson(what, r);
    }
  }

  /** Returns when {@code r} is a success, else throws the classified error. */
  void check(String what, PowerDnsApi.Response r) throws ProviderException {
    int s = r.status();
    if (s >= 200 && s < 300) {
      return;
    }
    String head = "zone " + zone + ": PowerDNS " + what + " answered HTTP " + s;
    if (s == 401 || s == 403) {
      throw new PermanentProviderException(
          head + ": the API key was refused (check apiKeyFile/apiKeyEnv and api-key)" + detail(r));
    }
    if (s == 404) {
      throw new PermanentProviderException(
          head + ": zone or server id not found at the server" + detail(r));
    }
    if (s == 429 || s >= 500) {
      throw new TransientProviderException(head + detail(r), null, retryAfter(r));
    }
    throw new PermanentProviderException(head + ": request refused" + detail(r));
  }

  /** A failed exchange: refused connections and timeouts are transient, like all I/O errors. */
  TransientProviderException ioFailure(String what, String endpoint, IOException e) {
    String why =
        e instanceof HttpTimeoutException
            ? "timed out"
            : e instanceof ConnectException ? "connection refused or unreachable" : "I/O error";
    return new TransientProviderException(
        "zone "
            + zone
            + ": PowerDNS "
            + what
            + " to "
            + endpoint
            + " failed: "
            + why
            + " ("
            + e.getClass().getSimpleName()
            + ")",
        e);
  }

  private PermanentProviderException notJson(String what, PowerDnsApi.Response r) {
    return new PermanentProviderException(
        "zone "
            + zone
            + ": PowerDNS "
            + what
            + " answered HTTP "
            + r.status()
            + " with a body that is not a JSON object"
            + describe(r)
            + " (is url the PowerDNS webserver, not a proxy or another service?)");
  }

  private String detail(PowerDnsApi.Response r) {
    try {
      JsonNode node = json.readTree(r.body());
      if (node != null && node.path("error").isTextual()) {
        return ": " + quote(node.path("error").asText());
      }
    } catch (JsonProcessingException e) {
      // Not JSON: described below by content type and first characters.
    }
    return describe(r);
  }

  private static String describe(PowerDnsApi.Response r) {
    String type = r.contentType().orElse("no content type");
    String text = r.body().strip();
    if (text.isEmpty()) {
      return " (" + type + ", empty body)";
    }
    String kind = text.regionMatches(true, 0, "<", 0, 1) ? "HTML/XML body" : "body";
    return " (" + type + " " + kind + ": " + quote(text) + ")";
  }

  private static String quote(String s) {
    String oneLine = s.replaceAll("\\s+", " ");
    return "'"
        + (oneLine.length() > MAX_QUOTED ? oneLine.substring(0, MAX_QUOTED) + "…" : oneLine)
        + "'";
  }

  private static Optional<Duration> retryAfter(PowerDnsApi.Response r) {
    // RFC 9110 §10.2.3: delay-seconds; an HTTP-date is rare here and left to the backoff.
    return r.retryAfter()
        .map(String::strip)
        .filter(v -> v.matches("\\d{1,9}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)));
  }
}
