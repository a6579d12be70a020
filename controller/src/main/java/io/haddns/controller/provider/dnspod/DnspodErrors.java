package io.haddns.controller.provider.dnspod;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Classifies Tencent Cloud API 3.0 answers: {@code {"Response": {..., "RequestId"}}}, with {@code
 * Response.Error.{Code, Message}} on failure (HTTP status 200 either way).
 *
 * <p>Transient: {@code RequestLimitExceeded*} (throttled: the API gives no delay, so one second is
 * suggested), {@code InternalError*}, {@code ResourceUnavailable*}, {@code
 * FailedOperation.FrequencyLimit}, HTTP 5xx and network errors. Permanent: everything else, notably
 * {@code AuthFailure.*} (bad SecretId/SecretKey, signature, clock skew beyond five minutes, missing
 * CAM permission), {@code InvalidParameter*} (e.g. unknown domain or line) and bodies that are not
 * JSON.
 *
 * @see <a href="https://www.tencentcloud.com/document/api/1157/49045">DNSPod error codes</a>
 */
final class DnspodErrors {
  /** Whether the answer is {@code ResourceNotFound.NoDataOfRecord}: a listing with no records. */
  static final String NO_DATA_OF_RECORD = "ResourceNotFound.NoDataOfRecord";

  static final Duration THROTTLE_DELAY = Duration.ofSeconds(1);
  private static final List<String> TRANSIENT_PREFIXES =
      List.of(
          "RequestLimitExceeded",
          "InternalError",
          "ResourceUnavailable",
          "FailedOperation.FrequencyLimit");
  private static final int SNIPPET = 60;

  private final ObjectMapper json;

  DnspodErrors(ObjectMapper json) {
    this.json = json;
  }

  /** A failure the API answered, before classification. */
  record ApiError(String code, String message) {}

  /** The {@code Response} object of a successful answer, or the API's error. */
  sealed interface Outcome {
    record Ok(JsonNode response) implements Outcome {}

    record Failed(ApiError error) implements Outcome {}
  }

  Outcome parse(String context, int status, String body) throws ProviderException {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (root == null || !root.path("Response").isObject()) {
      String what =
          context + ": HTTP " + status + " answer is not a JSON Response: " + snippet(body);
      if (status >= 500) {
        throw new TransientProviderException(what);
      }
      throw new PermanentProviderException(what);
    }
    JsonNode response = root.path("Response");
    JsonNode error = response.path("Error");
    if (error.isObject()) {
      return new Outcome.Failed(
          new ApiError(error.path("Code").asText("?"), error.path("Message").asText("")));
    }
    if (status >= 500) {
      throw new TransientProviderException(context + ": HTTP " + status);
    }
    return new Outcome.Ok(response);
  }

  static ProviderException classify(String context, ApiError error) {
    String what = context + ": " + error.code() + " " + error.message();
    if (TRANSIENT_PREFIXES.stream().anyMatch(error.code()::startsWith)) {
      return new TransientProviderException(
          what,
          null,
          error.code().startsWith("RequestLimitExceeded")
              ? Optional.of(THROTTLE_DELAY)
              : Optional.empty());
    }
    if (error.code().startsWith("AuthFailure")) {
      return new PermanentProviderException(
          what + " (check SecretId/SecretKey, the CAM permissions for DNSPod and the local clock)");
    }
    return new PermanentProviderException(what);
  }

  private static String snippet(String body) {
    String flat = body.replaceAll("\\s+", " ").strip();
    return '"' + (flat.length() > SNIPPET ? flat.substring(0, SNIPPET) + "…" : flat) + '"';
  }
}
