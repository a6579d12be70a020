package io.haddns.controller.provider.powerdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiAnswersTest {
  private final ApiAnswers answers = new ApiAnswers(new ObjectMapper(), "example.com");

  private static PowerDnsApi.Response response(int status, String type, String body) {
    return new PowerDnsApi.Response(status, Optional.ofNullable(type), Optional.empty(), body);
  }

  @Test
  void successIsAcceptedAndAJsonObjectIsReturned() throws Exception {
    assertThatCode(() -> answers.check("PATCH", response(204, null, "")))
        .doesNotThrowAnyException();
    assertThat(
            answers
                .body("GET zone", response(200, "application/json", "{\"rrsets\":[]}"))
                .has("rrsets"))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403})
  void refusedKeyIsPermanent(int status) {
    // pdns 4.7 answers a wrong X-API-Key with 401 and a text/plain "Unauthorized".
    assertThatThrownBy(
            () ->
                answers.check(
                    "PATCH 1/1", response(status, "text/plain; charset=utf-8", "Unauthorized")))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("zone example.com")
        .hasMessageContaining("HTTP " + status)
        .hasMessageContaining("API key was refused");
  }

  @Test
  void unknownZoneIsPermanent() {
    assertThatThrownBy(
            () -> answers.body("GET zone", response(404, "text/plain; charset=utf-8", "Not Found")))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("not found")
        .hasMessageContaining("'Not Found'");
  }

  @Test
  void refusedRecordIsPermanentAndQuotesPowerDnsError() {
    String body =
        "{\"error\": \"RRset alias.example.com. IN A: Conflicts with pre-existing RRset\"}";
    assertThatThrownBy(() -> answers.check("PATCH 2/3", response(422, "application/json", body)))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("PATCH 2/3 answered HTTP 422")
        .hasMessageContaining("Conflicts with pre-existing RRset");
  }

  @Test
  void badRequestIsPermanent() {
    assertThatThrownBy(() -> answers.check("PATCH", response(400, "text/plain", "Bad Request")))
        .isInstanceOf(PermanentProviderException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void serverErrorsAreTransient(int status) {
    assertThatThrownBy(
            () ->
                answers.check(
                    "PATCH", response(status, "application/json", "{\"error\": \"backend down\"}")))
        .isInstanceOf(TransientProviderException.class)
        .hasMessageContaining("backend down");
  }

  @Test
  void throttlingIsTransientAndCarriesRetryAfter() {
    PowerDnsApi.Response r =
        new PowerDnsApi.Response(429, Optional.empty(), Optional.of(" 7 "), "");
    assertThatThrownBy(() -> answers.check("PATCH", r))
        .isInstanceOfSatisfying(
            TransientProviderException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
  }

  @Test
  void htmlAnswerIsPermanentAndSaysSo() {
    String html = "<html><head><title>Welcome to nginx</title></head><body>hello</body></html>";
    assertThatThrownBy(() -> answers.body("GET zone", response(200, "text/html", html)))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("not a JSON object")
        .hasMessageContaining("text/html HTML/XML body")
        .hasMessageContaining("not a proxy");
  }

  @Test
  void jsonThatIsNotAnObjectIsPermanent() {
    assertThatThrownBy(() -> answers.body("GET zone", response(200, "application/json", "[1,2]")))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void longBodiesAreCutInMessages() {
    String body = "x".repeat(5000);
    assertThatThrownBy(() -> answers.check("PATCH", response(418, "text/plain", body)))
        .isInstanceOf(PermanentProviderException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void connectionFailuresAndTimeoutsAreTransient() {
    assertThat(
            answers.ioFailure("PATCH", "http://127.0.0.1:1/x", new ConnectException()).getMessage())
        .contains("connection refused");
    assertThat(
            answers
                .ioFailure("PATCH", "http://127.0.0.1:1/x", new HttpTimeoutException("t"))
                .getMessage())
        .contains("timed out");
    assertThat(answers.ioFailure("GET zone", "http://127.0.0.1:1/x", new IOException("reset")))
        .isInstanceOf(TransientProviderException.class);
  }
}
