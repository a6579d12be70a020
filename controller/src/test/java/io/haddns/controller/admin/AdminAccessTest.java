package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.netty.ListenerLimits;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.testing.LogCapture;
import io.haddns.controller.testing.SettableClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The admin port's access rules, on an embedded channel (no sockets). */
class AdminAccessTest {
  private static final String OVERRIDE = "/api/v1/lines/{line}/override";

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final String alice = OperatorTokens.generate("prod", new SecureRandom());
  private final String bob = OperatorTokens.generate("prod", new SecureRandom());

  /** A drain request body as a record: unknown fields are refused. */
  record Drain(String state, String reason) {}

  private final ApiRoute override =
      ApiRoute.of(
          HttpMethod.POST,
          OVERRIDE,
          OperatorRole.OPERATOR,
          r -> {
            Drain d = r.json(Drain.class);
            r.audit("line-override", "line=" + r.param("line") + " state=" + d.state());
            return CompletableFuture.completedFuture(
                ApiResponse.ok(Map.of("line", r.param("line"), "state", d.state())));
          });

  private OperatorsConfig tokens(boolean metricsRequireToken) {
    return new OperatorsConfig(
        List.of(
            new OperatorsConfig.Token(
                "alice", OperatorRole.OPERATOR, OperatorTokens.sha256(alice), Optional.empty()),
            new OperatorsConfig.Token(
                "bob", OperatorRole.VIEWER, OperatorTokens.sha256(bob), Optional.empty())),
        Optional.empty(),
        Optional.empty(),
        metricsRequireToken,
        3);
  }

  private EmbeddedChannel channel(OperatorsConfig operators) {
    EmbeddedChannel ch = new EmbeddedChannel();
    AdminSecurity security = new AdminSecurity("prod", "n1", operators, audit::add, clock);
    new AdminServerInitializer(
            AdminServer.context(
                new StatusSource() {
                  @Override
                  public ClusterStatus status() {
                    return new ClusterStatus(
                        "prod", "n1", true, true, "n1", 1, List.of(), List.of(), List.of(),
                        List.of());
                  }

                  @Override
                  public boolean ready() {
                    return true;
                  }
                },
                registry,
                security,
                List.of(override),
                Runnable::run,
                Runnable::run),
            new ListenerLimits(4, 4, Duration.ofSeconds(10)),
            Optional.empty())
        .addHandlers(ch.pipeline());
    return ch;
  }

  private static String call(
      EmbeddedChannel ch, String method, String path, String token, String body) {
    String req =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: a\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "Content-Type: application/json\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + body;
    return raw(ch, req);
  }

  private static String raw(EmbeddedChannel ch, String req) {
    ch.writeInbound(Unpooled.copiedBuffer(req, StandardCharsets.UTF_8));
    ch.runPendingTasks();
    StringBuilder out = new StringBuilder();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      out.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return out.toString();
  }

  private static String drain(String line) {
    return "/api/v1/lines/" + line + "/override";
  }

  @Test
  void answersReadsWithoutATokenWith401OnceCredentialsAreConfigured() {
    EmbeddedChannel ch = channel(tokens(false));

    assertThat(call(ch, "GET", "/api/v1/status", null, ""))
        .startsWith("HTTP/1.1 401 Unauthorized")
        .contains("www-authenticate: Bearer realm=\"haddns\"")
        .contains("\"error\" : \"authentication required");
    assertThat(call(ch, "GET", "/api/v1/status", bob, "")).startsWith("HTTP/1.1 200 OK");
  }

  @Test
  void refusesAViewerAMutationWith403NamingTheRoleNeeded() {
    EmbeddedChannel ch = channel(tokens(false));

    String res = call(ch, "POST", drain("home"), bob, "{\"state\":\"down\"}");

    assertThat(res)
        .startsWith("HTTP/1.1 403 Forbidden")
        .contains("credential 'bob' has role viewer; this call needs operator");
    assertThat(audit).isEmpty();
  }

  @Test
  void letsAnOperatorMutateAndAuditsItWithTheCredentialsNameAndSource() {
    EmbeddedChannel ch = channel(tokens(false));

    String res = call(ch, "POST", drain("home"), alice, "{\"state\":\"down\",\"reason\":\"x\"}");

    assertThat(res).startsWith("HTTP/1.1 200 OK").contains("\"line\" : \"home\"");
    assertThat(audit)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("line-override");
              assertThat(e.detail())
                  .isEqualTo(
                      "credential=alice role=operator via=token source=127.0.0.1 line=home"
                          + " state=down")
                  .doesNotContain(alice);
            });
  }

  @Test
  void refusesMutationsWith403AndTheHowToWhenNoCredentialIsConfigured() {
    EmbeddedChannel ch = channel(OperatorsConfig.none());

    assertThat(call(ch, "POST", drain("home"), null, "{\"state\":\"down\"}"))
        .startsWith("HTTP/1.1 403 Forbidden")
        .contains("haddns ctl token create");
    assertThat(call(ch, "GET", "/api/v1/status", null, "")).startsWith("HTTP/1.1 200 OK");
  }

  @Test
  void servesHealthAndMetricsWithoutATokenUnlessMetricsRequireOne() {
    EmbeddedChannel open = channel(tokens(false));
    EmbeddedChannel strict = channel(tokens(true));

    assertThat(call(open, "GET", "/healthz", null, "")).startsWith("HTTP/1.1 200 OK");
    assertThat(call(open, "GET", "/readyz", null, "")).startsWith("HTTP/1.1 200 OK");
    assertThat(call(open, "GET", "/metrics", null, "")).startsWith("HTTP/1.1 200 OK");
    assertThat(call(strict, "GET", "/healthz", null, "")).startsWith("HTTP/1.1 200 OK");
    assertThat(call(strict, "GET", "/metrics", null, "")).startsWith("HTTP/1.1 401");
    assertThat(call(strict, "GET", "/metrics", bob, "")).startsWith("HTTP/1.1 200 OK");
  }

  @Test
  void servesOpenMetricsWithCreatedSeriesWhenTheScraperAcceptsItElseTheTextFormat() {
    Counter.builder().name("haddns_test_events_total").help("test").register(registry).inc();
    EmbeddedChannel ch = channel(tokens(false));

    String openMetrics =
        raw(
            ch,
            "GET /metrics HTTP/1.1\r\nHost: a\r\nAccept: application/openmetrics-text;"
                + "version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2\r\n\r\n");
    String text = raw(ch, "GET /metrics HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n");

    assertThat(openMetrics)
        .containsIgnoringCase("content-type: application/openmetrics-text; version=1.0.0")
        .contains("haddns_test_events_total 1.0")
        .contains("haddns_test_events_created ")
        .endsWith("# EOF\n");
    assertThat(text)
        .containsIgnoringCase("content-type: text/plain; version=0.0.4")
        .contains("haddns_test_events_total 1.0")
        .doesNotContain("_created")
        .doesNotContain("# EOF");
  }

  @Test
  void auditsFailedAuthenticationsAndAnswers429PastTheLimitWithoutEverLoggingTheToken()
      throws Exception {
    EmbeddedChannel ch = channel(tokens(false));
    String wrong = OperatorTokens.generate("prod", new SecureRandom());
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    List<String> lines;
    String[] answers = new String[4];
    try (LogCapture logs = LogCapture.start()) {
      root.setLevel(Level.DEBUG);
      for (int i = 0; i < 3; i++) {
        answers[i] = call(ch, "GET", "/api/v1/status", wrong, "");
      }
      answers[3] = call(ch, "GET", "/api/v1/status", alice, "");
      lines = logs.lines();
    } finally {
      root.setLevel(before);
    }

    for (int i = 0; i < 3; i++) {
      assertThat(answers[i])
          .startsWith("HTTP/1.1 401")
          .contains("authentication failed: unknown or revoked token")
          .doesNotContain(wrong);
    }
    assertThat(answers[3]).startsWith("HTTP/1.1 429").contains("retry-after: 60");
    assertThat(audit).hasSize(3);
    assertThat(audit)
        .allSatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(OperatorAudit.AUTH_FAILED);
              assertThat(e.detail())
                  .isEqualTo(
                      "source=127.0.0.1 path=/api/v1/status reason=unknown or revoked token");
            });
    assertThat(lines).isNotEmpty();
    assertThat(lines).noneMatch(l -> l.contains(wrong) || l.contains(alice));
    // A new minute gives the source its attempts back.
    clock.advance(Duration.ofMinutes(1));
    assertThat(call(ch, "GET", "/api/v1/status", alice, "")).startsWith("HTTP/1.1 200 OK");
  }

  @Test
  void refusesATokenOfAnotherClusterWith401SayingSo() {
    EmbeddedChannel ch = channel(tokens(false));
    String staging = OperatorTokens.generate("staging", new SecureRandom());

    assertThat(call(ch, "GET", "/api/v1/status", staging, ""))
        .startsWith("HTTP/1.1 401")
        .contains("token is for cluster 'staging', this is cluster 'prod'")
        .doesNotContain(staging);
  }

  @Test
  void answersBadBodiesWithAJsonErrorNamingTheField() {
    EmbeddedChannel ch = channel(tokens(false));

    assertThat(call(ch, "POST", drain("home"), alice, "{\"state\":\"down\",\"until\":\"1h\"}"))
        .startsWith("HTTP/1.1 400")
        .contains("\"field\" : \"until\"")
        .contains("unknown field; allowed: reason, state");
    assertThat(call(ch, "POST", drain("home"), alice, "{\"state\":"))
        .startsWith("HTTP/1.1 400")
        .contains("malformed JSON");
    assertThat(call(ch, "POST", drain("home"), alice, "{\"state\":\"up\",\"state\":\"down\"}"))
        .startsWith("HTTP/1.1 400")
        .contains("\"field\" : \"state\"")
        .contains("given more than once");
    assertThat(call(ch, "POST", drain("home"), alice, "{\"state\":\"" + "x".repeat(70_000) + "\"}"))
        .startsWith("HTTP/1.1 413")
        .contains("content-type: application/json")
        .contains("{\"error\":\"body larger than 65536 bytes, the admin API's limit\"}");
    assertThat(call(ch, "GET", "/api/v1/status", alice, ""))
        .as("the connection serves on after the oversized body")
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void answersUnknownRoutesAndMethodsUnderTheApi() {
    EmbeddedChannel ch = channel(tokens(false));

    assertThat(call(ch, "GET", drain("home"), alice, ""))
        .startsWith("HTTP/1.1 405")
        .contains("allow: POST");
    assertThat(call(ch, "GET", "/api/v1/nothing", alice, "")).startsWith("HTTP/1.1 404");
  }
}
