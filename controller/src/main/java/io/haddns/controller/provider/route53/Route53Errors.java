package io.haddns.controller.provider.route53;

import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Classifies SDK failures for the caller's retry policy. Route 53 throttles with HTTP 400 and the
 * codes {@code Throttling} (five requests per second per account) and {@code
 * PriorRequestNotComplete}; both are retried after a second. Messages carry the code and Route 53's
 * message, which never holds a credential.
 */
final class Route53Errors {
  static final Duration THROTTLE_WAIT = Duration.ofSeconds(1);
  private static final Set<String> THROTTLED =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "PriorRequestNotComplete",
          "RequestLimitExceeded",
          "TooManyRequestsException");

  private static final Pattern INVALID_CHANGE_BATCH = Pattern.compile("<InvalidChangeBatch[\\s>]");
  private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

  private final String zone;

  Route53Errors(String zone) {
    this.zone = zone;
  }

  /** The code of a service error, empty for client-side failures. */
  static Optional<String> code(SdkException e) {
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
      return Optional.ofNullable(s.awsErrorDetails().errorCode());
    }
    return Optional.empty();
  }

  /**
   * The messages of an {@code <InvalidChangeBatch><Messages><Message>…} body, the form Route 53's
   * API reference documents for ChangeResourceRecordSets, which the SDK does not map to an error
   * code; empty for any other answer.
   */
  static Optional<String> invalidChangeBatchBody(SdkException e) {
    if (!(e instanceof AwsServiceException s)
        || s.awsErrorDetails() == null
        || s.awsErrorDetails().rawResponse() == null) {
      return Optional.empty();
    }
    String body = s.awsErrorDetails().rawResponse().asUtf8String();
    if (!INVALID_CHANGE_BATCH.matcher(body).find()) {
      return Optional.empty();
    }
    List<String> messages = new ArrayList<>();
    Matcher m = MESSAGE.matcher(body);
    while (m.find()) {
      messages.add(m.group(1).strip());
    }
    return Optional.of(messages.toString());
  }

  ProviderException classify(String operation, SdkException e) {
    String where = "route53 zone " + zone + ": " + operation;
    if (e instanceof AwsServiceException s) {
      String code = code(e).orElse("unknown");
      String message =
          s.awsErrorDetails() == null ? "" : String.valueOf(s.awsErrorDetails().errorMessage());
      String text = where + " failed with HTTP " + s.statusCode() + " " + code + ": " + message;
      if (THROTTLED.contains(code)) {
        return new TransientProviderException(text, null, Optional.of(THROTTLE_WAIT));
      }
      if (s.statusCode() >= 500 || s.statusCode() == 429) {
        return new TransientProviderException(text, null);
      }
      // InvalidChangeBatch, NoSuchHostedZone, AccessDenied, InvalidClientTokenId,
      // SignatureDoesNotMatch, InvalidInput, and any other 4xx: config or data must change.
      return new PermanentProviderException(text, null);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new TransientProviderException(where + " timed out", null);
    }
    if (hasIoCause(e)) {
      return new TransientProviderException(
          where + " failed: " + e.getClass().getSimpleName() + " " + safe(e), null);
    }
    // Missing credentials, an answer that is not Route 53's XML: retrying will not help.
    return new PermanentProviderException(
        where + " failed: " + e.getClass().getSimpleName() + " " + safe(e), null);
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return true;
      }
    }
    return false;
  }

  private static String safe(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }
}
