package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.cli.ControllerMain;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.AuditEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A whole node (embedded ZooKeeper and DNS) configured with operator tokens: the admin port
 * enforces them, {@code POST /api/v1/update} with a scoped token sets the line's address in the
 * store, and {@code haddns ctl status} works with {@code --token-file}.
 */
class OperatorAccessNodeIT {
  @TempDir Path dir;
  private final String viewer = OperatorTokens.generate("ops", new SecureRandom());
  private final String ciHome = OperatorTokens.generate("ops", new SecureRandom());
  private NodeRuntime node;
  private String base;

  @BeforeEach
  void start() throws Exception {
    String yaml =
        """
        cluster:
          name: ops
          sessionTimeout: 2s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - name: home
            address: { agent: ci-home }
            probes: [ { tcp: { port: 9 } } ]
            interval: 100ms
            timeout: 80ms
        zones:
          - name: example.test
            provider: { type: embedded, nameservers: [127.0.0.1] }
        records:
          - { name: home.example.test, ttl: 30, lines: [home] }
          - { name: nas.example.test, ttl: 30, lines: [home] }
        operators:
          tokens:
            - { name: grafana, role: viewer, sha256: "%s" }
            - { name: ci-home, role: viewer, sha256: "%s", scope: { line: home, hostnames: [home.example.test] } }
        """
            .formatted(
                dir.resolve("data"), OperatorTokens.sha256(viewer), OperatorTokens.sha256(ciHome));
    HaddnsConfig cfg = new ConfigLoader(Map.of()).parse(yaml, "ops.yaml", dir);
    node =
        NodeRuntime.start(
            cfg.withNode(new NodeConfig("ops-node", "127.0.0.1", 0, "127.0.0.1", 0)),
            Optional.empty(),
            InstantSource.system(),
            "it");
    base = "http://127.0.0.1:" + node.admin().address().getPort();
    await().atMost(Duration.ofSeconds(20)).until(node.node()::isLeader);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static HttpResponse<String> post(String url, Optional<String> token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aScopedTokenSetsItsLinesAddressThroughTheUpdateEndpoint() throws Exception {
    HttpResponse<String> noToken =
        post(base + "/api/v1/update", Optional.empty(), "hostname=home.example.test&ip=9.9.9.9");
    HttpResponse<String> outside =
        post(base + "/api/v1/update", Optional.of(ciHome), "hostname=nas.example.test&ip=9.9.9.9");
    HttpResponse<String> set =
        post(base + "/api/v1/update", Optional.of(ciHome), "hostname=home.example.test&ip=9.9.9.9");

    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(outside.statusCode()).isEqualTo(403);
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    await()
        .untilAsserted(
            () ->
                assertThat(node.store().lineAddresses().get("home"))
                    .extracting(s -> s.addresses())
                    .isEqualTo(List.of(InetAddress.getByName("9.9.9.9"))));
    await()
        .untilAsserted(
            () ->
                assertThat(node.store().recentAudit(50))
                    .extracting(AuditEvent::type, AuditEvent::detail)
                    .anySatisfy(
                        t -> {
                          assertThat(t.toList().get(0)).isEqualTo("api-update");
                          assertThat((String) t.toList().get(1))
                              .startsWith(
                                  "credential=ci-home role=viewer via=token source=127.0.0.1");
                        }));
  }

  @Test
  void ctlStatusNeedsTheTokenFileOnceTokensAreConfigured() throws Exception {
    Path tokenFile = dir.resolve("viewer.token");
    Files.writeString(tokenFile, viewer + "\n");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int without =
        new CommandLine(new ControllerMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute("ctl", "status", "--endpoint", base, "--json");
    int with =
        new CommandLine(new ControllerMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(
                "ctl",
                "status",
                "--endpoint",
                base,
                "--json",
                "--token-file",
                tokenFile.toString());

    assertThat(without).isEqualTo(1);
    assertThat(err.toString()).contains("answered HTTP 401").doesNotContain(viewer);
    assertThat(with).isZero();
    assertThat(out.toString()).contains("\"cluster\" : \"ops\"");
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }
}
