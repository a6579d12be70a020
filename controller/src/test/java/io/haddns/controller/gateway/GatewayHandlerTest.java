package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pipeline on an {@link EmbeddedChannel}: routing, limits and timeouts, no sockets. */
class GatewayHandlerTest {
  private final InstantSource clock =
      InstantSource.fixed(Instant.ofEpochMilli(AgentReportsTest.NOW));
  private final MemoryLineAddressStore store = new MemoryLineAddressStore(clock);
  private final List<String> outcomes = new ArrayList<>();
  private final GatewayObserver observer = (e, o) -> outcomes.add(e.label() + ":" + o);

  private EmbeddedChannel channel(int perSource) {
    GatewayCredentials credentials =
        new GatewayCredentials(
            List.of(AgentReportsTest.AGENT.config(List.of("telecom"))), List.of());
    RateLimits perCredential = new RateLimits("c", 1000, Duration.ofHours(1));
    AgentReports reports =
        new AgentReports(
            credentials,
            store,
            e -> {},
            Runnable::run,
            clock,
            "node-1",
            Duration.ofMinutes(5),
            perCredential);
    Dyndns2Updates dyndns2 =
        new Dyndns2Updates(
            credentials, store, e -> {}, Runnable::run, clock, "node-1", perCredential);
    return new EmbeddedChannel(
        new HttpServerCodec(4096, 8192, 8192),
        new HeaderTimeout(TimeUnit.SECONDS.toNanos(10)),
        new BodyLimit(observer),
        new GatewayHandler(
            reports,
            dyndns2,
            new RateLimits("s", perSource, Duration.ofHours(1)),
            Runnable::run,
            observer));
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

  @Test
  void rateLimitsASourceAddress() {
    EmbeddedChannel server = channel(1);
    exchange(server, post("{}"));

    FullHttpResponse r = exchange(server, post("{}"));

    assertThat(r.status().code()).isEqualTo(429);
    assertThat(text(r)).contains("rate-limited");
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
  }
}
