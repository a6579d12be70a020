package io.haddns.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local {@code GET /metrics} (Prometheus text format) and {@code GET /healthz} (200 or
 * 503 with a one-line reason), on the JDK's HTTP server: one thread, no TLS, no auth, so bind it to
 * loopback or a management address only (docs/agent.md "Metrics and health").
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusRegistry registry;
  private final Supplier<AgentMetrics.Health> health;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private MetricsServer(
      HttpServer server, PrometheusRegistry registry, Supplier<AgentMetrics.Health> health) {
    this.server = server;
    this.registry = registry;
    this.health = health;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "agent-metrics");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/metrics", this::metrics);
    server.createContext("/healthz", this::healthz);
  }

  /** Binds {@code host:port} and starts serving. */
  public static MetricsServer start(
      String host, int port, PrometheusRegistry registry, Supplier<AgentMetrics.Health> health)
      throws IOException {
    MetricsServer s =
        new MetricsServer(
            HttpServer.create(new InetSocketAddress(host, port), 16), registry, health);
    s.server.start();
    log.info("metrics listening on {}:{} (/metrics, /healthz)", host, s.port());
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void metrics(HttpExchange exchange) throws IOException {
    if (!exact(exchange, "/metrics")) {
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writer.write(body, registry.scrape());
    exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
    send(exchange, 200, body.toByteArray());
  }

  private void healthz(HttpExchange exchange) throws IOException {
    if (!exact(exchange, "/healthz")) {
      return;
    }
    AgentMetrics.Health h = health.get();
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(
        exchange,
        h.healthy() ? 200 : 503,
        ((h.healthy() ? "ok: " : "unhealthy: ") + h.detail() + "\n")
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Only {@code GET} (or HEAD) of the exact path; anything else gets 404 or 405. */
  private static boolean exact(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      send(exchange, 404, "not found\n".getBytes(StandardCharsets.UTF_8));
      return false;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "method not allowed\n".getBytes(StandardCharsets.UTF_8));
      return false;
    }
    return true;
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
