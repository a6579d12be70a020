package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.netty.ListenerLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdminHandlerTest {
  private static final String BIG = "x".repeat(64 * 1024);

  /** Ready, and never asked for the status. */
  private static final class FixedStatus implements StatusSource {
    @Override
    public ClusterStatus status() {
      throw new IllegalStateException("not used");
    }

    @Override
    public boolean ready() {
      return true;
    }
  }

  private static AdminContext context() {
    return AdminServer.context(
        new FixedStatus(),
        new PrometheusRegistry(),
        AdminSecurity.open(),
        List.of(),
        Runnable::run,
        Runnable::run);
  }

  private static EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    new AdminServerInitializer(
            context(), new ListenerLimits(4, 4, Duration.ofSeconds(10)), Optional.empty())
        .addHandlers(ch.pipeline());
    return ch;
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of(
            "plain health check",
            "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n",
            "HTTP/1.1 200 OK",
            "ok\n"),
        Arguments.of(
            "64 KiB header",
            "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: " + BIG + "\r\n\r\n",
            "HTTP/1.1 400 Bad Request",
            "bad request: header too large\n"),
        Arguments.of(
            "header line without a colon",
            "GET /healthz HTTP/1.1\r\nHost: a\r\nNoColonHere\r\n\r\n",
            "HTTP/1.1 400 Bad Request",
            "bad request: malformed request\n"),
        Arguments.of(
            "request line the decoder rejects",
            "GET /" + BIG + " HTTP/1.1\r\nHost: a\r\n\r\n",
            "HTTP/1.1 400 Bad Request",
            "bad request: request line too long\n"),
        Arguments.of(
            "malformed percent escape",
            "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n",
            "HTTP/1.1 400 Bad Request",
            "bad request: malformed path\n"),
        Arguments.of(
            "unknown path with markup and controls",
            "GET /<b>%0d%0aX:%20y HTTP/1.1\r\nHost: a\r\n\r\n",
            "HTTP/1.1 404 Not Found",
            "no such endpoint: /%3Cb%3E%0D%0AX:%20y\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void answersEveryRequestWithAPlainStatusAndAnEscapedPath(
      String name, String request, String statusLine, String body) {
    EmbeddedChannel ch = channel();

    ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));

    String response = drain(ch);
    assertThat(response).startsWith(statusLine + "\r\n");
    assertThat(response).endsWith("\r\n\r\n" + body);
    assertThat(response).contains("content-type: text/plain; charset=utf-8");
    ch.finishAndReleaseAll();
  }

  @Test
  void closesAConnectionWhoseRequestTricklesInPastTheDeadline() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    new AdminServerInitializer(
            context(), new ListenerLimits(4, 4, Duration.ofSeconds(3)), Optional.empty())
        .addHandlers(ch.pipeline());

    // One byte every 300 ms: each restarts the 60 s idle timer, the request never completes.
    int sent = 0;
    for (char c : "GET /healthz HTTP/1.1\r\n".toCharArray()) {
      if (!ch.isOpen()) {
        break;
      }
      ch.writeInbound(Unpooled.copiedBuffer(String.valueOf(c), StandardCharsets.ISO_8859_1));
      sent++;
      ch.advanceTimeBy(300, TimeUnit.MILLISECONDS);
      ch.runScheduledPendingTasks();
    }

    assertThat(sent).isEqualTo(10);
    assertThat(ch.isOpen()).isFalse();
    assertThat(drain(ch)).isEmpty();
  }

  @Test
  void answersEachRequestWithItsOwnRequestId() {
    EmbeddedChannel ch = channel();

    ch.writeInbound(
        Unpooled.copiedBuffer(
            "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /readyz HTTP/1.1\r\nHost: a\r\n\r\n",
            StandardCharsets.ISO_8859_1));

    List<String> ids =
        java.util.regex.Pattern.compile("X-Request-Id: (\\S+)\r\n")
            .matcher(drain(ch))
            .results()
            .map(m -> m.group(1))
            .toList();
    String connection = ch.id().asShortText();
    assertThat(ids).containsExactly(connection + "-1", connection + "-2");
    ch.finishAndReleaseAll();
  }

  private static String drain(EmbeddedChannel ch) {
    StringBuilder out = new StringBuilder();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      out.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return out.toString();
  }
}
