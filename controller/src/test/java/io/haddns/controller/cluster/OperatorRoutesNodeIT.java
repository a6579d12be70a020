package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.cli.ControllerMain;
import io.haddns.controller.cli.NodeRuntime;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.testing.LineListener;
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
 * The operator endpoints of the admin API on a whole node (embedded ZooKeeper and DNS, two lines
 * with real TCP listeners): a drain over HTTP moves the record off the line and a clear brings it
 * back, roles are enforced, bad input is refused naming the field and writes nothing, and the audit
 * reader shows the change with the operator's name.
 */
class OperatorRoutesNodeIT {
  private static final RecordKey APP = new RecordKey("app.ops.test", RecordType.A);

  @TempDir Path dir;
  private final String operator = OperatorTokens.generate("ops", new SecureRandom());
  private final String viewer = OperatorTokens.generate("ops", new SecureRandom());
  private LineListener a;
  private LineListener b;
  private NodeRuntime node;
  private String base;

  @BeforeEach
  void start() throws Exception {
    InetAddress addrA = InetAddress.getByName("127.0.0.21");
    InetAddress addrB = InetAddress.getByName("127.0.0.22");
    int port = LineListener.freePort(addrA, addrB);
    a = new LineListener(addrA, port).open();
    b = new LineListener(addrB, port).open();
    String yaml =
        """
        cluster:
          name: ops
          sessionTimeout: 2s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - name: a
            address: { static: [127.0.0.21] }
            probes: [ { tcp: { port: %d } } ]
            interval: 100ms
            timeout: 80ms
          - name: b
            address: { static: [127.0.0.22] }
            probes: [ { tcp: { port: %d } } ]
            interval: 100ms
            timeout: 80ms
        zones:
          - name: ops.test
            provider: { type: embedded, nameservers: [127.0.0.1] }
        records:
          - { name: app.ops.test, ttl: 30, policy: failover, lines: [a, b] }
        operators:
          tokens:
            - { name: alice, role: operator, sha256: "%s" }
            - { name: grafana, role: viewer, sha256: "%s" }
        """
            .formatted(
                dir.resolve("data"),
                port,
                port,
                OperatorTokens.sha256(operator),
                OperatorTokens.sha256(viewer));
    HaddnsConfig cfg = new ConfigLoader(Map.of()).parse(yaml, "ops.yaml", dir);
    node =
        NodeRuntime.start(
            cfg.withNode(new NodeConfig("ops-node", "127.0.0.1", 0, "127.0.0.1", 0)),
            Optional.empty(),
            InstantSource.system(),
            "it");
    base = "http://127.0.0.1:" + node.admin().address().getPort();
    await().atMost(Duration.ofSeconds(20)).until(() -> answers("127.0.0.21"));
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    a.close();
    b.close();
  }

  private boolean answers(String address) throws Exception {
    AppliedRecord r = node.store().applied().get(APP);
    return r != null && r.record().addresses().equals(List.of(InetAddress.getByName(address)));
  }

  private static HttpResponse<String> call(String method, String url, String token, String json)
      throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDrainOverHttpMovesTheRecordAndAClearBringsItBack() throws Exception {
    HttpResponse<String> drained =
        call(
            "POST",
            base + "/api/v1/lines/a/override",
            operator,
            "{\"state\":\"down\",\"duration\":\"5m\",\"reason\":\"ISP maintenance\"}");

    assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
    assertThat(drained.body()).contains("\"state\"").contains("\"down\"").contains("\"alice\"");
    await().atMost(Duration.ofSeconds(10)).until(() -> answers("127.0.0.22"));

    HttpResponse<String> cleared =
        call("DELETE", base + "/api/v1/lines/a/override", operator, null);
    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> answers("127.0.0.21"));

    HttpResponse<String> audit =
        call("GET", base + "/api/v1/audit?kind=override-set&limit=10", viewer, null);
    assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
    assertThat(audit.body())
        .contains("override-set")
        .contains("line=a state=down")
        .contains("by=alice")
        .doesNotContain(operator);
  }

  @Test
  void refusesAViewerUnknownNamesAndBadFieldsAndWritesNothing() throws Exception {
    HttpResponse<String> asViewer =
        call("POST", base + "/api/v1/lines/a/override", viewer, "{\"state\":\"down\"}");
    HttpResponse<String> unknownLine =
        call("POST", base + "/api/v1/lines/nope/override", operator, "{\"state\":\"down\"}");
    HttpResponse<String> badDuration =
        call(
            "POST",
            base + "/api/v1/lines/a/override",
            operator,
            "{\"state\":\"down\",\"duration\":\"5 minutes\"}");
    HttpResponse<String> badState =
        call("POST", base + "/api/v1/lines/a/override", operator, "{\"state\":\"sideways\"}");
    HttpResponse<String> unknownField =
        call(
            "POST",
            base + "/api/v1/lines/a/override",
            operator,
            "{\"state\":\"down\",\"color\":\"red\"}");
    HttpResponse<String> unknownZone =
        call("POST", base + "/api/v1/zones/nope.test/pause", operator, "{\"reason\":\"x\"}");
    HttpResponse<String> badLimit = call("GET", base + "/api/v1/audit?limit=0", viewer, null);

    assertThat(asViewer.statusCode()).isEqualTo(403);
    assertThat(unknownLine.statusCode()).isEqualTo(404);
    assertThat(unknownLine.body()).contains("no such line: nope");
    assertThat(badDuration.statusCode()).isEqualTo(400);
    assertThat(badDuration.body()).contains("\"field\"").contains("\"duration\"");
    assertThat(badState.statusCode()).isEqualTo(400);
    assertThat(badState.body()).contains("\"state\"");
    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(unknownField.body()).contains("color");
    assertThat(unknownZone.statusCode()).isEqualTo(404);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(node.store().intents().overrides()).isEmpty();
    assertThat(answers("127.0.0.21")).isTrue();
  }

  private record Ctl(int exit, String out, String err) {}

  private Ctl ctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new ControllerMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Ctl(exit, out.toString(), err.toString());
  }

  @Test
  void ctlDrainsClearsAndReadsTheAuditThroughAnyReachableEndpoint() throws Exception {
    Path tokenFile = dir.resolve("alice.token");
    Files.writeString(tokenFile, operator + "\n");
    // A dead endpoint first: ctl goes on to the next one.
    String endpoints = "http://127.0.0.1:1," + base;

    Ctl drain =
        ctl(
            "ctl",
            "line",
            "drain",
            "a",
            "--for",
            "5m",
            "--reason",
            "ISP maintenance",
            "--endpoint",
            endpoints,
            "--token-file",
            tokenFile.toString());
    assertThat(drain.exit()).as(drain.err()).isZero();
    assertThat(drain.out()).contains("\"state\" : \"down\"").contains("\"by\" : \"alice\"");
    await().atMost(Duration.ofSeconds(10)).until(() -> answers("127.0.0.22"));

    Ctl unknown =
        ctl(
            "ctl",
            "line",
            "drain",
            "nope",
            "--reason",
            "x",
            "--endpoint",
            base,
            "--token-file",
            tokenFile.toString());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 404").contains("no such line: nope");

    Ctl clear =
        ctl("ctl", "line", "clear", "a", "--endpoint", base, "--token-file", tokenFile.toString());
    assertThat(clear.exit()).as(clear.err()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> answers("127.0.0.21"));

    Ctl audit =
        ctl(
            "ctl",
            "audit",
            "--kind",
            "override-set",
            "--limit",
            "5",
            "--endpoint",
            base,
            "--token-file",
            tokenFile.toString());
    assertThat(audit.exit()).as(audit.err()).isZero();
    assertThat(audit.out()).contains("line=a state=down").contains("by=alice");
    assertThat(drain.out() + drain.err() + audit.out()).doesNotContain(operator);
  }
}
