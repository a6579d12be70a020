package io.haddns.controller.provider.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error bodies as documented by Cloudflare's API v4 envelope, mapped to outcomes. */
class CloudflareErrorsTest {
  private final CloudflareErrors errors =
      new CloudflareErrors(
          new ObjectMapper(), InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));

  private static String body(int code, String message) {
    return "{\"success\":false,\"errors\":[{\"code\":"
        + code
        + ",\"message\":\""
        + message
        + "\"}],\"messages\":[],\"result\":null}";
  }

  @ParameterizedTest(name = "HTTP {0} code {1} -> {2}")
  @CsvSource({
    "403, 10000, permanent",
    "400, 9109, permanent",
    "400, 1001, permanent",
    "404, 7003, permanent",
    "400, 9021, permanent",
    "404, 81044, transient",
    "400, 81058, transient",
    "400, 971, transient",
    "500, 10001, transient",
    "503, 0, transient",
  })
  void classifiesDocumentedErrorCodes(int status, int code, String outcome) {
    Throwable t =
        catchThrowable(() -> errors.check("ctx", status, Optional.empty(), body(code, "m")));

    assertThat(t)
        .isInstanceOf(
            outcome.equals("transient")
                ? TransientProviderException.class
                : PermanentProviderException.class)
        .hasMessageContaining("ctx")
        .hasMessageContaining(String.valueOf(code));
  }

  @Test
  void rateLimitCarriesRetryAfterSeconds() {
    TransientProviderException e =
        (TransientProviderException)
            catchThrowable(() -> errors.check("ctx", 429, Optional.of("7"), body(971, "slow")));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void rateLimitAcceptsAnHttpDate() {
    assertThat(errors.delay(Optional.of("Thu, 01 Jan 2026 00:00:30 GMT")))
        .contains(Duration.ofSeconds(30));
    assertThat(errors.delay(Optional.of("soon"))).isEmpty();
  }

  @Test
  void htmlAnswerIsPermanentWithAClearMessage() {
    Throwable t =
        catchThrowable(
            () -> errors.check("ctx", 200, Optional.empty(), "<html><body>Login</body></html>"));

    assertThat(t)
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("not a JSON envelope")
        .hasMessageContaining("<html>");
  }

  @Test
  void htmlFromAGatewayErrorIsTransient() {
    assertThat(
            catchThrowable(() -> errors.check("ctx", 502, Optional.empty(), "<html>Bad gateway")))
        .isInstanceOf(TransientProviderException.class);
  }

  @Test
  void successfulEnvelopeIsReturned() throws Exception {
    assertThat(
            errors
                .check(
                    "ctx", 200, Optional.empty(), "{\"success\":true,\"errors\":[],\"result\":[]}")
                .path("result")
                .isArray())
        .isTrue();
  }
}
