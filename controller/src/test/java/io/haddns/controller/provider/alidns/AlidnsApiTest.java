package io.haddns.controller.provider.alidns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.testing.SettableClock;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Request construction, signing, pagination and error classification without sockets. */
class AlidnsApiTest {
  private static final String SECRET = "unit-test-secret-xyz";
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2025-03-04T05:06:07.890Z"));

  private final List<HttpRequest> sent = new ArrayList<>();
  private final Deque<AlidnsApi.Response> answers = new ArrayDeque<>();

  private AlidnsApi api() {
    ProviderConfig.Alidns config =
        new ProviderConfig.Alidns(
            URI.create("https://alidns.aliyuncs.com/"),
            "LTAIkey",
            new Secret(SECRET.getBytes(StandardCharsets.US_ASCII), "test"),
            "telecom",
            20,
            Duration.ofSeconds(3));
    int[] n = {0};
    return new AlidnsApi(
        "example.com",
        config,
        new RequestPacer(1_000_000, CLOCK, d -> {}),
        CLOCK,
        () -> "nonce-" + n[0]++,
        Optional.of(
            r -> {
              sent.add(r);
              return answers.removeFirst();
            }));
  }

  private void answer(int status, String body) {
    answers.add(new AlidnsApi.Response(status, Optional.of("application/json"), body));
  }

  private static Map<String, String> query(HttpRequest r) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : r.uri().getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void addSendsTheCommonParametersAndAValidSignature() throws Exception {
    answer(200, "{\"RequestId\":\"R1\",\"RecordId\":\"9001\"}");

    String id = api().add("www", "A", "192.0.2.1", 60, Set.of());

    assertThat(id).isEqualTo("9001");
    HttpRequest r = sent.get(0);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.timeout()).contains(Duration.ofSeconds(3));
    assertThat(r.uri().getHost()).isEqualTo("alidns.aliyuncs.com");
    Map<String, String> q = query(r);
    assertThat(q)
        .containsEntry("Action", "AddDomainRecord")
        .containsEntry("AccessKeyId", "LTAIkey")
        .containsEntry("Format", "JSON")
        .containsEntry("Version", "2015-01-09")
        .containsEntry("SignatureMethod", "HMAC-SHA1")
        .containsEntry("SignatureVersion", "1.0")
        .containsEntry("SignatureNonce", "nonce-0")
        .containsEntry("Timestamp", "2025-03-04T05:06:07Z")
        .containsEntry("DomainName", "example.com")
        .containsEntry("RR", "www")
        .containsEntry("Type", "A")
        .containsEntry("Value", "192.0.2.1")
        .containsEntry("TTL", "60")
        .containsEntry("Line", "telecom");
    Map<String, String> unsigned = new TreeMap<>(q);
    String signature = unsigned.remove("Signature");
    String expected =
        AlidnsSigner.signature(
            AlidnsSigner.stringToSign("GET", AlidnsSigner.canonicalQuery(unsigned)),
            SECRET.getBytes(StandardCharsets.US_ASCII));
    assertThat(signature).isEqualTo(expected);
    assertThat(r.uri().toString()).doesNotContain(SECRET);
  }

  @Test
  void signsEachRequestOnlyAfterThePacerLetsItGo() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2025-03-04T05:06:07Z"));
    // A pacer wait stands for a long queue of requests: it moves the clock 100 s on.
    RequestPacer pacer = new RequestPacer(1, clock, d -> clock.advance(Duration.ofSeconds(100)));
    AlidnsApi api =
        new AlidnsApi(
            "example.com",
            new ProviderConfig.Alidns(
                URI.create("https://alidns.aliyuncs.com/"),
                "LTAIkey",
                new Secret(SECRET.getBytes(StandardCharsets.US_ASCII), "test"),
                "default",
                1,
                Duration.ofSeconds(3)),
            pacer,
            clock,
            () -> "nonce",
            Optional.of(
                r -> {
                  sent.add(r);
                  return answers.removeFirst();
                }));
    answer(200, "{\"RequestId\":\"R1\"}");
    answer(200, "{\"RequestId\":\"R2\"}");

    api.remark("1", "managed-by=haddns");
    api.remark("2", "managed-by=haddns");

    assertThat(sent)
        .extracting(r -> query(r).get("Timestamp"))
        .containsExactly("2025-03-04T05:06:07Z", "2025-03-04T05:07:47Z");
  }

  @Test
  void describeFollowsPagesUntilTotalCount() throws Exception {
    StringBuilder page1 = new StringBuilder("{\"TotalCount\":501,\"DomainRecords\":{\"Record\":[");
    for (int i = 0; i < 500; i++) {
      page1.append(i == 0 ? "" : ",").append("{\"RecordId\":\"").append(i).append("\"}");
    }
    answer(200, page1 + "]}}");
    answer(200, "{\"TotalCount\":501,\"DomainRecords\":{\"Record\":[{\"RecordId\":\"500\"}]}}");

    assertThat(api().describeRecords("AAAA")).hasSize(501);

    assertThat(sent).hasSize(2);
    assertThat(query(sent.get(0)))
        .containsEntry("PageNumber", "1")
        .containsEntry("PageSize", "500")
        .containsEntry("TypeKeyWord", "AAAA");
    assertThat(query(sent.get(1))).containsEntry("PageNumber", "2");
  }

  @Test
  void aHandledCodeIsReportedToTheCaller() {
    answer(400, error("DomainRecordDuplicate", "The DNS record already exists."));

    AlidnsApi.Refused e =
        catchThrowableOfType(
            AlidnsApi.Refused.class,
            () -> api().add("www", "A", "192.0.2.1", 60, Set.of("DomainRecordDuplicate")));

    assertThat(e.code()).isEqualTo("DomainRecordDuplicate");
  }

  static Stream<Arguments> classified() {
    return Stream.of(
        Arguments.of(404, "InvalidAccessKeyId.NotFound", PermanentProviderException.class),
        Arguments.of(400, "SignatureDoesNotMatch", PermanentProviderException.class),
        Arguments.of(403, "Forbidden.RAM", PermanentProviderException.class),
        Arguments.of(400, "IncorrectDomainUser", PermanentProviderException.class),
        Arguments.of(400, "InvalidDomainName.NoExist", PermanentProviderException.class),
        Arguments.of(400, "DomainRecordDuplicate", PermanentProviderException.class),
        Arguments.of(400, "Throttling.User", TransientProviderException.class),
        Arguments.of(400, "Throttling", TransientProviderException.class),
        Arguments.of(503, "ServiceUnavailable", TransientProviderException.class),
        Arguments.of(500, "InternalError", TransientProviderException.class),
        Arguments.of(502, "SomethingNew", TransientProviderException.class),
        Arguments.of(400, "SignatureNonceUsed", TransientProviderException.class));
  }

  @ParameterizedTest(name = "HTTP {0} {1}")
  @MethodSource("classified")
  void classifiesDocumentedErrorCodes(
      int status, String code, Class<? extends ProviderException> kind) {
    answer(status, error(code, "message for " + code));

    Throwable e = catchThrowable(() -> api().remark("77", "managed-by=haddns"));

    assertThat(e)
        .isInstanceOf(kind)
        .hasMessageContaining("example.com")
        .hasMessageContaining("UpdateDomainRecordRemark")
        .hasMessageContaining(code)
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void throttlingCarriesARetryAfter() {
    answer(400, error("Throttling.User", "Request was denied due to user flow control."));

    TransientProviderException e =
        catchThrowableOfType(TransientProviderException.class, () -> api().describeRecords("A"));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
  }

  @Test
  void htmlIsPermanentAndNamedAsSuch() {
    answers.add(
        new AlidnsApi.Response(200, Optional.of("text/html"), "<html><body>login</body></html>"));

    PermanentProviderException e =
        catchThrowableOfType(PermanentProviderException.class, () -> api().describeRecords("A"));

    assertThat(e).hasMessageContaining("not a JSON object").hasMessageContaining("HTML");
  }

  @Test
  void aGatewayErrorPageIsTransient() {
    answers.add(new AlidnsApi.Response(502, Optional.of("text/html"), "<html>Bad Gateway</html>"));

    assertThat(catchThrowable(() -> api().describeRecords("A")))
        .isInstanceOf(TransientProviderException.class);
  }

  @Test
  void jsonWithoutTheRecordListIsPermanent() {
    answer(200, "{\"RequestId\":\"x\"}");

    assertThat(catchThrowable(() -> api().describeRecords("A")))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("DomainRecords");
  }

  @Test
  void ioFailuresAreTransient() {
    ProviderConfig.Alidns config =
        new ProviderConfig.Alidns(
            URI.create("https://alidns.aliyuncs.com/"),
            "LTAIkey",
            new Secret(SECRET.getBytes(StandardCharsets.US_ASCII), "test"),
            "default",
            20,
            Duration.ofSeconds(3));
    AlidnsApi api =
        new AlidnsApi(
            "example.com",
            config,
            new RequestPacer(1000, CLOCK, d -> {}),
            CLOCK,
            () -> "n",
            Optional.of(
                r -> {
                  throw new HttpTimeoutException("request timed out");
                }));

    assertThat(catchThrowable(() -> api.describeRecords("A")))
        .isInstanceOf(TransientProviderException.class)
        .hasMessageContaining("timed out")
        .hasNoCause();
  }

  private static String error(String code, String message) {
    return "{\"RequestId\":\"6F1B\",\"HostId\":\"alidns.aliyuncs.com\",\"Code\":\""
        + code
        + "\",\"Message\":\""
        + message
        + "\",\"Recommend\":\"https://api.aliyun.com/troubleshoot?q="
        + code
        + "\"}";
  }
}
