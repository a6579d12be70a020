package io.haddns.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.haddns.agent.metrics.Scrape;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent process with {@code metrics:} configured, scraped over HTTP: two controller
 * endpoints stand in as local HTTP servers, the first answering 503 and the second 200, so the
 * agent fails over once; its line has a failing detector before a working one.
 */
class AgentMetricsIT {
  private static final Path BASEDIR =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  private static final Path AGENT_JAR = BASEDIR.resolve("target/haddns-agent.jar");

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicInteger unavailableAnswers = new AtomicInteger();
  private final AtomicInteger acknowledged = new AtomicInteger();
  private HttpServer down;
  private HttpServer up;
  private ChildProcess agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (down != null) {
      down.stop(0);
    }
    if (up != null) {
      up.stop(0);
    }
  }

  private static HttpServer controller(int status, String body, AtomicInteger count)
      throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    s.createContext(
        "/api/v1/report",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          count.incrementAndGet();
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, b.length);
          exchange.getResponseBody().write(b);
          exchange.close();
        });
    s.start();
    return s;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesDetectionsReportsFailoversAndReportAgeOnTheConfiguredLocalPort() throws Exception {
    down = controller(503, "{\"status\":\"unavailable\"}", unavailableAnswers);
    up = controller(200, "{\"status\":\"accepted\"}", acknowledged);
    AgentProcess.writeKeys(dir);
    int port = freePort();
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        id: office-gw
        privateKeyFile: %s
        stateFile: %s
        controllers: ["http://127.0.0.1:%d", "http://127.0.0.1:%d"]
        insecureHttp: true
        interval: 200ms
        metrics: { host: 127.0.0.1, port: %d }
        lines:
          - name: telecom
            families: [ipv4]
            detectors:
              - command: { run: [/bin/sh, -c, "exit 1"] }
              - command: { run: [/bin/sh, -c, "echo 8.8.4.4"] }
        """
            .formatted(
                dir.resolve("agent.key"),
                dir.resolve("state.json"),
                down.getAddress().getPort(),
                up.getAddress().getPort(),
                port));

    agent = ChildProcess.start("agent", AGENT_JAR, dir, List.of("--config", config.toString()));

    Map<String, String> found =
        Map.of("line", "telecom", "family", "ipv4", "detector", "command", "outcome", "found");
    Map<String, String> failed =
        Map.of("line", "telecom", "family", "ipv4", "detector", "command", "outcome", "failed");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(agent.isAlive()).as(agent.logTail(30)).isTrue();
              String text = get(port, "/metrics").body();
              assertThat(Scrape.value(text, "haddns_agent_detections_total", found))
                  .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(2.0));
              assertThat(Scrape.value(text, "haddns_agent_detections_total", failed))
                  .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(2.0));
            });
    HttpResponse<String> metrics = get(port, "/metrics");
    String text = metrics.body();

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    // One report, acknowledged by the second endpoint after the first answered 503; the rounds
    // after it only detect (the address is unchanged and the heartbeat is 10 minutes).
    assertThat(acknowledged).hasValue(1);
    assertThat(unavailableAnswers).hasValue(1);
    assertThat(
            Scrape.value(
                text,
                "haddns_agent_reports_total",
                Map.of("line", "telecom", "family", "ipv4", "outcome", "acknowledged")))
        .contains(1.0);
    assertThat(Scrape.value(text, "haddns_agent_controller_failovers_total", Map.of()))
        .contains(1.0);
    assertThat(
            Scrape.value(
                text,
                "haddns_agent_last_report_age_seconds",
                Map.of("line", "telecom", "family", "ipv4")))
        .hasValueSatisfying(age -> assertThat(age).isBetween(0.0, 60.0));
    HttpResponse<String> health = get(port, "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).startsWith("ok: last round ");
    assertThat(get(port, "/other").statusCode()).isEqualTo(404);
  }
}
