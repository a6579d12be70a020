package io.haddns.controller.provider.alidns;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies Alibaba Cloud DNS answers. Errors come as JSON {@code {"RequestId", "HostId", "Code",
 * "Message", "Recommend"}} with an HTTP 4xx/5xx status (common error codes:
 * https://www.alibabacloud.com/help/doc-detail/29770.htm and the API Error Center). Throttling
 * ({@code Throttling}, {@code Throttling.User}, {@code Throttling.Api}; see "Notice on API
 * throttling of Alibaba Cloud DNS", January 2025) is retried after {@link #THROTTLE_WAIT}; {@code
 * ServiceUnavailable}, {@code InternalError}, 5xx and a reused nonce are transient; credentials,
 * permissions and an unknown domain are permanent, as is any other 4xx and any answer that is not a
 * JSON object (an HTML page from a proxy). Messages carry the code and Alibaba's message (which
 * never holds the AccessKey secret), never the request's query or signature.
 */
final class AlidnsErrors {
  static final Duration THROTTLE_WAIT = Duration.ofSeconds(1);
  private static final int MAX_QUOTED = 200;
  private static final Set<String> THROTTLED =
      Set.of("Throttling", "Throttling.User", "Throttling.Api", "Throttling.System");
  private static final Set<String> TRANSIENT =
      Set.of(
          "ServiceUnavailable",
          "InternalError",
          "UnknownError",
          "SignatureNonceUsed",
          "RequestTimeout");

  private final String zone;

  AlidnsErrors(String zone) {
    this.zone = zone;
  }

  /** The error code of a JSON error body, if {@code body} is one. */
  static Optional<String> code(Optional<JsonNode> body) {
    return body.map(b -> b.path("Code")).filter(JsonNode::isTextual).map(JsonNode::asText);
  }

  ProviderException classify(String action, AlidnsApi.Response r, Optional<JsonNode> body) {
    String head = "alidns zone " + zone + ": " + action + " answered HTTP " + r.status();
    Optional<String> code = code(body);
    if (code.isEmpty()) {
      if (r.status() >= 500 || r.status() == 429) {
        return new TransientProviderException(head + describe(r), null);
      }
      return notJson(action, r);
    }
    String message = body.map(b -> b.path("Message").asText("")).orElse("");
    String text = head + " " + code.get() + ": " + quote(message);
    if (THROTTLED.contains(code.get())) {
      return new TransientProviderException(text, null, Optional.of(THROTTLE_WAIT));
    }
    if (TRANSIENT.contains(code.get()) || r.status() >= 500 || r.status() == 429) {
      return new TransientProviderException(text, null);
    }
    return new PermanentProviderException(text + hint(code.get()), null);
  }

  /** An answer that is not the API's JSON: retrying will not make it so. */
  PermanentProviderException notJson(String action, AlidnsApi.Response r) {
    return new PermanentProviderException(
        "alidns zone "
            + zone
            + ": "
            + action
            + " answered HTTP "
            + r.status()
            + " with a body that is not a JSON object"
            + describe(r)
            + " (is endpoint the Alibaba Cloud DNS API, not a proxy or another service?)");
  }

  /** A failed exchange: refused connections, timeouts and other I/O errors are transient. */
  TransientProviderException ioFailure(String action, String endpoint, IOException e) {
    String why =
        e instanceof HttpTimeoutException
            ? "timed out"
            : e instanceof ConnectException ? "connection refused or unreachable" : "I/O error";
    return new TransientProviderException(
        "alidns zone "
            + zone
            + ": "
            + action
            + " to "
            + endpoint
            + " failed: "
            + why
            + " ("
            + e.getClass().getSimpleName()
            + ")",
        // No cause: the exception may quote the request URI, whose query holds the signature.
        null);
  }

  private static String hint(String code) {
    return switch (code) {
      case "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "SignatureDoesNotMatch" ->
          " (check accessKeyId and the AccessKey secret in accessKeySecretFile/accessKeySecretEnv)";
      case "Forbidden.RAM", "Forbidden", "IncorrectDomainUser" ->
          " (the RAM policy of this AccessKey does not allow the action on this domain)";
      case "InvalidDomainName.NoExist" ->
          " (the domain is not in this Alibaba Cloud account's DNS console)";
      case "InvalidTimeStamp.Expired" -> " (check this node's clock)";
      default -> "";
    };
  }

  private static String describe(AlidnsApi.Response r) {
    String type = r.contentType().orElse("no content type");
    String text = r.body().strip();
    if (text.isEmpty()) {
      return " (" + type + ", empty body)";
    }
    String kind = text.startsWith("<") ? "HTML/XML body" : "body";
    return " (" + type + " " + kind + ": " + quote(text) + ")";
  }

  private static String quote(String s) {
    String oneLine = s.replaceAll("\\s+", " ");
    return "'"
        + (oneLine.length() > MAX_QUOTED ? oneLine.substring(0, MAX_QUOTED) + "…" : oneLine)
        + "'";
  }
}
