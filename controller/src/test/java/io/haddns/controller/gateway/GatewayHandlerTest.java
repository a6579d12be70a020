package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.AddressCommit;
import io.haddns.controller.store.AddressSubmission;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineAddressState;
import io.haddns.controller.store.LineAddressStore;
import io.haddns.controller.store.StoreView;
import io.haddns.controller.testing.LogCapture;
import io.haddns.controller.testing.MemoryLineAddressStore;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pipeline on an {@link EmbeddedChannel}: routing, limits and timeouts, no sockets. */
class GatewayHandlerTest {
  private final InstantSource clock =
      InstantSource.fixed(Instant.ofEpochMilli(AgentReportsTest.NOW));
  private final MemoryLineAddressStore store = new MemoryLineAddressStore(clock);
  private final List<String> outcomes = new ArrayList<>();
  private final GatewayObserver observer = (e, o) -> outcomes.add(e.label() + ":" + o);

  private final List<AuditEvent> audit = new ArrayList<>();
  private final RefusalAudit refusals = new RefusalAudit(audit::add, clock, "node-1");

  private EmbeddedChannel channel(int perSource) {
    return channel(perSource, store, Runnable::run);
  }

  private EmbeddedChannel channel(int perSource, LineAddressStore store, Executor workers) {
    GatewayCredentials credentials =
        new GatewayCredentials(
            // Reports of documentation addresses (RFC 5737), which are private.
            List.of(AgentReportsTest.AGENT.config(List.of("telecom"), true)), List.of());
    AgentReports reports =
        new AgentReports(
            credentials,
            store,
            e -> {},
            Runnable::run,
            clock,
            "node-1",
            Duration.ofMinutes(5),
            new RateLimits("a", 1000, Duration.ofHours(1)));
    Dyndns2Updates dyndns2 =
        new Dyndns2Updates(
            credentials,
            store,
            e -> {},
            Runnable::run,
            clock,
            "node-1",
            new LoginFailures(1000, Duration.ofHours(1), clock));
    return new EmbeddedChannel(
        new HttpServerCodec(4096, 8192, 8192),
        new RequestTimeouts(TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(30), refusals),
        new BodyLimit(observer, refusals),
        new GatewayHandler(
            reports,
            dyndns2,
            new RateLimits("s", perSource, Duration.ofHours(1)),
            workers,
            workers,
            observer,
            refusals));
  }

  private List<String> audited() {
    return audit.stream().map(e -> e.type() + " " + e.detail()).toList();
  }

  /** Sends {@code request} through a client codec and returns the decoded response. */
  private static FullHttpResponse exchange(EmbeddedChannel server, FullHttpRequest request) {
    EmbeddedChannel client =
        new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(65536));
    client.writeOutbound(request);
    Object bytes;
    // The server may close before the whole request is in (an oversized body).
    while ((bytes = client.readOutbound()) != null && server.isOpen()) {
      server.writeInbound(bytes);
    }
    io.netty.util.ReferenceCountUtil.release(bytes);
    server.runPendingTasks();
    while ((bytes = server.readOutbound()) != null) {
      client.writeInbound(bytes);
    }
    return client.readInbound();
  }

  private static FullHttpRequest post(String body) {
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            GatewayHandler.REPORT_PATH,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  private static String text(FullHttpResponse r) {
    return r.content().toString(StandardCharsets.UTF_8);
  }

  @Test
  void acceptsASignedReport() {
    FullHttpResponse r =
        exchange(
            channel(100),
            post(
                AgentReportsTest.AGENT.body(
                    "telecom", "ipv4", List.of("198.51.100.7"), AgentReportsTest.NOW, 1)));

    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(text(r)).contains("\"status\":\"accepted\"");
    assertThat(outcomes).containsExactly("report:accepted");
  }

  @Test
  void refusesAnOversizedBodyBeforeReadingIt() {
    EmbeddedChannel server = channel(100);
    FullHttpResponse r = exchange(server, post("{\"pad\":\"" + "x".repeat(8200) + "\"}"));

    assertThat(r.status().code()).isEqualTo(413);
    assertThat(text(r)).contains("too-large");
    assertThat(server.isOpen()).isFalse();
    assertThat(store.writes).isZero();
  }

  /** Decodes every response {@code server} wrote so far. */
  private static List<FullHttpResponse> responses(EmbeddedChannel server) {
    EmbeddedChannel client =
        new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(65536));
    // The client codec pairs responses with requests: tell it about as many GETs as there are.
    for (int i = 0; i < 100; i++) {
      client.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    }
    Object bytes;
    while ((bytes = client.readOutbound()) != null) {
      io.netty.util.ReferenceCountUtil.release(bytes);
    }
    while ((bytes = server.readOutbound()) != null) {
      client.writeInbound(bytes);
    }
    List<FullHttpResponse> out = new ArrayList<>();
    FullHttpResponse r;
    while ((r = client.readInbound()) != null) {
      out.add(r);
    }
    return out;
  }

  @Test
  void holdsFastAnswersBehindASlowOneAndAnswers413InItsTurn() {
    List<Runnable> held = new ArrayList<>();
    EmbeddedChannel server = channel(100, store, held::add);
    String body =
        AgentReportsTest.AGENT.body(
            "telecom", "ipv4", List.of("198.51.100.7"), AgentReportsTest.NOW, 1);
    server.writeInbound(
        Unpooled.copiedBuffer(
            RawHttp.post(GatewayHandler.REPORT_PATH, body)
                + RawHttp.get("/missing")
                + RawHttp.post(
                    GatewayHandler.REPORT_PATH, "{\"pad\":\"" + "x".repeat(9000) + "\"}"),
            StandardCharsets.UTF_8));

    assertThat(responses(server)).isEmpty();
    assertThat(server.isOpen()).isTrue();
    held.forEach(Runnable::run);
    server.runPendingTasks();

    assertThat(responses(server)).extracting(r -> r.status().code()).containsExactly(200, 404, 413);
    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void answersTheRequestPastThePipeliningBound503AndClosesAfterIt() {
    List<Runnable> held = new ArrayList<>();
    EmbeddedChannel server = channel(1000, store, held::add);
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < GatewayHandler.MAX_PIPELINED + 5; i++) {
      burst.append(RawHttp.post(GatewayHandler.REPORT_PATH, "{}"));
    }
    server.writeInbound(Unpooled.copiedBuffer(burst.toString(), StandardCharsets.UTF_8));

    assertThat(held).hasSize(GatewayHandler.MAX_PIPELINED);
    held.forEach(Runnable::run);
    server.runPendingTasks();

    List<FullHttpResponse> answers = responses(server);
    assertThat(answers).hasSize(GatewayHandler.MAX_PIPELINED + 1);
    assertThat(answers.subList(0, GatewayHandler.MAX_PIPELINED))
        .allSatisfy(r -> assertThat(r.status().code()).isEqualTo(400));
    assertThat(answers.get(GatewayHandler.MAX_PIPELINED).status().code()).isEqualTo(503);
    assertThat(server.isOpen()).isFalse();
    assertThat(audited()).anyMatch(e -> e.contains("outcome=pipeline-overflow"));
  }

  @Test
  void rateLimitsASourceAddress() {
    EmbeddedChannel server = channel(1);
    exchange(server, post("{}"));

    FullHttpResponse r = exchange(server, post("{}"));

    assertThat(r.status().code()).isEqualTo(429);
    assertThat(text(r)).contains("rate-limited");
    assertThat(audited())
        .containsExactly(
            "address-report-rejected source=embedded path=/api/v1/report outcome=rate-limited"
                + " reason=source over its rate limit");
  }

  @Test
  void answersDyndns2AbuseWith200AndAuditsIt() {
    EmbeddedChannel server = channel(1);
    exchange(server, dyndns2Get());

    FullHttpResponse r = exchange(server, dyndns2Get());

    // ddclient and inadyn read the body only of a 200 answer (docs/agent-protocol.md).
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("abuse\n");
    assertThat(audited())
        .containsExactly(
            "dyndns2-rejected source=embedded path=/nic/update outcome=abuse"
                + " reason=source over its rate limit");
  }

  private static FullHttpRequest dyndns2Get() {
    FullHttpRequest get =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.GET,
            "/nic/update?hostname=home.example.com&myip=198.51.100.7");
    get.headers().set(HttpHeaderNames.USER_AGENT, "router/1");
    return get;
  }

  @Test
  void auditsOversizedBodiesUnknownPathsAndWrongMethods() {
    exchange(channel(100), post("{\"pad\":\"" + "x".repeat(8200) + "\"}"));
    EmbeddedChannel server = channel(100);
    exchange(
        server,
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/admin?token=secret"));
    exchange(
        server,
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, GatewayHandler.REPORT_PATH));

    assertThat(audited())
        .containsExactly(
            "address-report-rejected source=embedded path=/api/v1/report outcome=too-large"
                + " reason=body over 8192 bytes",
            "gateway-rejected source=embedded path=/admin outcome=not-found"
                + " reason=no such endpoint",
            "address-report-rejected source=embedded path=/api/v1/report"
                + " outcome=method-not-allowed reason=only POST is served");
  }

  @Test
  void answersBusyAndAuditsItWhenTheWorkersAreSaturated() {
    EmbeddedChannel server =
        channel(
            100,
            store,
            task -> {
              throw new RejectedExecutionException("full");
            });

    FullHttpResponse r = exchange(server, post("{}"));

    assertThat(r.status().code()).isEqualTo(503);
    assertThat(text(r)).contains("busy");
    assertThat(outcomes).containsExactly("report:unavailable");
    assertThat(audited())
        .containsExactly(
            "address-report-rejected source=embedded path=/api/v1/report outcome=unavailable"
                + " reason=busy: workers saturated");
    assertThat(server.config().isAutoRead()).isTrue();
  }

  @Test
  void answers500AuditsAndReadsOnWhenTheWorkerThrows() {
    LineAddressStore corrupt =
        throwing(new IllegalArgumentException("agents/office-gw: unreadable password=hunter2"));
    EmbeddedChannel server = channel(100, corrupt, Runnable::run);

    FullHttpResponse r =
        exchange(
            server,
            post(
                AgentReportsTest.AGENT.body(
                    "telecom", "ipv4", List.of("198.51.100.7"), AgentReportsTest.NOW, 1)));

    assertThat(r.status().code()).isEqualTo(500);
    assertThat(text(r)).contains("\"status\":\"internal-error\"").doesNotContain("hunter2");
    assertThat(audited())
        .containsExactly(
            "address-report-rejected source=embedded path=/api/v1/report"
                + " outcome=internal-error reason=unexpected IllegalArgumentException (in the"
                + " node's log)");
    assertThat(outcomes).containsExactly("report:internal-error");
    // The connection reads on: the next request is answered.
    assertThat(server.config().isAutoRead()).isTrue();
    assertThat(
            exchange(
                    server,
                    new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/next"))
                .status()
                .code())
        .isEqualTo(404);
  }

  @Test
  void logsAFailedRequestWithItsRequestIdAsAJsonField() throws Exception {
    EmbeddedChannel server =
        channel(100, throwing(new IllegalStateException("store broke")), Runnable::run);
    String body =
        AgentReportsTest.AGENT.body(
            "telecom", "ipv4", List.of("198.51.100.7"), AgentReportsTest.NOW, 1);

    try (LogCapture logs = LogCapture.start()) {
      exchange(server, post(body));
      exchange(server, post(body));

      List<String> ids =
          logs.jsonLines().stream()
              .filter(l -> l.contains("request failed, answered 500"))
              .map(l -> readTree(l).at("/mdc/request").asText())
              .toList();
      String channel = server.id().asShortText();
      assertThat(ids).containsExactly(channel + "-1", channel + "-2");
    }
  }

  /** A store whose every address write throws {@code e}. */
  private static LineAddressStore throwing(RuntimeException e) {
    return new LineAddressStore() {
      @Override
      public AddressCommit putLineAddress(AddressSubmission submission) {
        throw e;
      }

      @Override
      public Map<String, LineAddressState> lineAddresses() {
        return Map.of();
      }

      @Override
      public void addListener(StoreView.Listener listener, Executor executor) {}
    };
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void answersDyndns2InPlainText() {
    FullHttpRequest get =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.GET,
            "/nic/update?hostname=home.example.com&myip=198.51.100.7");
    get.headers().set(HttpHeaderNames.USER_AGENT, "router/1");

    FullHttpResponse r = exchange(channel(100), get);

    assertThat(r.status().code()).isEqualTo(401);
    assertThat(text(r)).isEqualTo("badauth\n");
    assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/plain");
    assertThat(r.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).startsWith("Basic");
  }

  @Test
  void refusesOtherMethodsAndPaths() {
    EmbeddedChannel server = channel(100);
    assertThat(
            exchange(
                    server,
                    new DefaultFullHttpRequest(
                        HttpVersion.HTTP_1_1, HttpMethod.GET, GatewayHandler.REPORT_PATH))
                .status()
                .code())
        .isEqualTo(405);
    assertThat(
            exchange(
                    server,
                    new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/admin"))
                .status()
                .code())
        .isEqualTo(404);
  }

  @Test
  void closesAConnectionWhoseHeadersDoNotArrive() {
    EmbeddedChannel server = channel(100);
    server.writeInbound(
        Unpooled.copiedBuffer(
            "POST /api/v1/report HTTP/1.1\r\nHost: x\r\n", StandardCharsets.US_ASCII));

    server.advanceTimeBy(11, TimeUnit.SECONDS);
    server.runScheduledPendingTasks();

    assertThat(server.isOpen()).isFalse();
    assertThat(audited())
        .containsExactly(
            "gateway-rejected source=embedded outcome=header-timeout"
                + " reason=headers not complete within 10000 ms");
  }

  @Test
  void closesAnIdleKeepAliveConnectionWithoutAuditingIt() {
    EmbeddedChannel server = channel(100);
    exchange(server, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x"));
    audit.clear();

    server.advanceTimeBy(11, TimeUnit.SECONDS);
    server.runScheduledPendingTasks();

    assertThat(server.isOpen()).isFalse();
    assertThat(audit).isEmpty();
  }

  @Test
  void answers408WhenTheBodyTricklesInPastTheRequestTimeout() {
    EmbeddedChannel server = channel(100);
    server.writeInbound(
        Unpooled.copiedBuffer(
            "POST /api/v1/report HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
            StandardCharsets.US_ASCII));
    for (int second = 1; second <= 30; second++) {
      // A byte every second keeps the connection from ever being idle.
      server.writeInbound(Unpooled.copiedBuffer(" ", StandardCharsets.US_ASCII));
      server.advanceTimeBy(1, TimeUnit.SECONDS);
      server.runScheduledPendingTasks();
    }

    EmbeddedChannel client =
        new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(65536));
    client.writeOutbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/")); // primes decoder
    Object bytes;
    while ((bytes = server.readOutbound()) != null) {
      client.writeInbound(bytes);
    }
    FullHttpResponse r = client.readInbound();
    assertThat(r.status().code()).isEqualTo(408);
    assertThat(server.isOpen()).isFalse();
    assertThat(store.writes).isZero();
    assertThat(audited())
        .containsExactly(
            "address-report-rejected source=embedded path=/api/v1/report outcome=request-timeout"
                + " reason=request not complete within 30000 ms");
  }
}
