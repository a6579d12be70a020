package io.haddns.controller.provider.cloudflare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies Cloudflare API v4 answers. Every answer is a JSON envelope {@code {success, errors:
 * [{code, message}], messages, result}}; HTTP 429 carries {@code Retry-After}.
 *
 * <p>Transient: HTTP 429 and 5xx, code 971 (throttled), and the codes that mean the zone changed
 * under us (81044 record does not exist, 81057/81058 record already exists) — a retry re-lists the
 * zone first. Permanent: everything else, notably 10000 (authentication error: bad token or missing
 * permission), 9109 (invalid access token), 1001 and 7003 (unknown zone or record identifier), and
 * bodies that are not JSON (a proxy's HTML page).
 */
final class CloudflareErrors {
  static final Set<Integer> TRANSIENT_CODES = Set.of(971, 81044, 81057, 81058);
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
  private static final int SNIPPET = 60;

  private final ObjectMapper json;
  private final InstantSource clock;

  CloudflareErrors(ObjectMapper json, InstantSource clock) {
    this.json = json;
    this.clock = clock;
  }

  /**
   * The parsed envelope of a successful answer.
   *
   * @param context names provider, zone and request, e.g. {@code cloudflare zone example.com: GET
   *     /zones}; never holds a secret
   */
  JsonNode check(String context, int status, Optional<String> retryAfter, String body)
      throws ProviderException {
    if (status == 429) {
      throw new TransientProviderException(
          context + ": rate limited (HTTP 429)" + codes(parse(body)), null, delay(retryAfter));
    }
    JsonNode envelope = parse(body);
    if (envelope == null || !envelope.isObject()) {
      String what =
          context + ": HTTP " + status + " answer is not a JSON envelope: " + snippet(body);
      if (status >= 500) {
        throw new TransientProviderException(what);
      }
      throw new PermanentProviderException(what);
    }
    boolean success = envelope.path("success").asBoolean(false);
    if (success && status >= 200 && status < 300) {
      return envelope;
    }
    List<Integer> codes = new ArrayList<>();
    envelope.path("errors").forEach(e -> codes.add(e.path("code").asInt(0)));
    String what = context + ": HTTP " + status + codes(envelope);
    if (status >= 500 || codes.stream().anyMatch(TRANSIENT_CODES::contains)) {
      throw new TransientProviderException(what, null, delay(retryAfter));
    }
    if (codes.contains(10000) || codes.contains(9109) || status == 401 || status == 403) {
      throw new PermanentProviderException(
          what + " (check the API token and its permissions: Zone Read and DNS Edit on the zone)");
    }
    throw new PermanentProviderException(what);
  }

  private JsonNode parse(String body) {
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String codes(JsonNode envelope) {
    if (envelope == null
        || !envelope.path("errors").isArray()
        || envelope.path("errors").isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    envelope
        .path("errors")
        .forEach(e -> parts.add(e.path("code").asText("?") + " " + e.path("message").asText("")));
    return ", errors: " + String.join("; ", parts);
  }

  private static String snippet(String body) {
    String flat = body.replaceAll("\\s+", " ").strip();
    return '"' + (flat.length() > SNIPPET ? flat.substring(0, SNIPPET) + "…" : flat) + '"';
  }

  /** {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
  Optional<Duration> delay(Optional<String> retryAfter) {
    if (retryAfter.isEmpty()) {
      return Optional.empty();
    }
    String v = retryAfter.get().strip();
    Duration d;
    try {
      d = Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        d = Duration.between(clock.instant(), at);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
  }
}
