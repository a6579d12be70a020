package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.cli.ControllerMain;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.runtime.NodeRuntime;
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
  private static final HttpClient HTTP = HttpClient.newHttpClient();

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
    // One client: each new one keeps its connection open, and the node allows 16 per source.
    return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
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

  @Test
  void statusAndCtlLinesAndRecordsShowOverridesAndPausesWithWhoWhyAndUntil() throws Exception {
    Path tokenFile = dir.resolve("alice.token");
    Files.writeString(tokenFile, operator + "\n");
    assertThat(
            call(
                    "POST",
                    base + "/api/v1/lines/a/override",
                    operator,
                    "{\"state\":\"down\",\"duration\":\"5m\",\"reason\":\"ISP maintenance\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            call(
                    "POST",
                    base + "/api/v1/zones/ops.test/pause",
                    operator,
                    "{\"reason\":\"provider migration\"}")
                .statusCode())
        .isEqualTo(200);

    // The node sees its own intents through its ZooKeeper watch, a moment after the write.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> call("GET", base + "/api/v1/status", viewer, null).body().contains("migration"));
    HttpResponse<String> status = call("GET", base + "/api/v1/status", viewer, null);
    assertThat(status.statusCode()).isEqualTo(200);
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body());
    var lineA = tree.path("lines").get(0);
    assertThat(lineA.path("name").asText()).isEqualTo("a");
    assertThat(lineA.path("override").path("state").asText()).isEqualTo("down");
    assertThat(lineA.path("override").path("by").asText()).isEqualTo("alice");
    assertThat(lineA.path("override").path("reason").asText()).isEqualTo("ISP maintenance");
    assertThat(lineA.path("override").path("until").asText()).endsWith("Z");
    assertThat(tree.path("lines").get(1).path("override").isNull()).isTrue();
    var zone = tree.path("zones").get(0);
    assertThat(zone.path("pause").path("by").asText()).isEqualTo("alice");
    assertThat(zone.path("pause").path("reason").asText()).isEqualTo("provider migration");

    Ctl lines = ctl("ctl", "lines", "--endpoint", base, "--token-file", tokenFile.toString());
    assertThat(lines.exit()).as(lines.err()).isZero();
    assertThat(lines.out())
        .contains("OVERRIDDEN LINE")
        .containsPattern("a +down +alice +\\S+Z +\\S+Z +ISP maintenance");
    Ctl linesJson =
        ctl(
            "ctl",
            "lines",
            "--output",
            "json",
            "--endpoint",
            base,
            "--token-file",
            tokenFile.toString());
    assertThat(linesJson.exit()).as(linesJson.err()).isZero();
    assertThat(linesJson.out()).startsWith("[").contains("\"override\"").contains("\"alice\"");
    Ctl records = ctl("ctl", "records", "--endpoint", base, "--token-file", tokenFile.toString());
    assertThat(records.exit()).as(records.err()).isZero();
    assertThat(records.out())
        .contains("app.ops.test")
        .containsPattern("ops.test +alice +\\S+Z +provider migration");
    Ctl all = ctl("ctl", "status", "--endpoint", base, "--token-file", tokenFile.toString());
    assertThat(all.out()).contains("OVERRIDDEN LINE").contains("PAUSED ZONE");
  }

  @Test
  void ctlAuditFollowPrintsEventsAsTheyComeAndEachOnce() throws Exception {
    Path tokenFile = dir.resolve("alice.token");
    Files.writeString(tokenFile, operator + "\n");
    call("POST", base + "/api/v1/zones/ops.test/pause", operator, "{\"reason\":\"first\"}");
    StringWriter out = new StringWriter();
    Thread follower =
        Thread.ofPlatform()
            .start(
                () ->
                    new CommandLine(new ControllerMain())
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(new StringWriter(), true))
                        .execute(
                            "ctl",
                            "audit",
                            "--follow",
                            "--zone",
                            "ops.test",
                            "--interval",
                            "100ms",
                            "--endpoint",
                            base,
                            "--token-file",
                            tokenFile.toString()));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("zone-paused"));
      call("DELETE", base + "/api/v1/zones/ops.test/pause", operator, null);
      call("POST", base + "/api/v1/zones/ops.test/pause", operator, "{\"reason\":\"second\"}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> out.toString().contains("reason=\"second\""));
      Thread.sleep(500); // a few more polls: nothing may be printed twice
    } finally {
      follower.interrupt();
      follower.join(5000);
    }
    List<String> all = out.toString().lines().toList();
    assertThat(all).doesNotHaveDuplicates();
    // The zone's first apply is about it too; the operator's events come in order, each once.
    List<String> printed = all.stream().filter(l -> l.contains(" zone-")).toList();
    assertThat(printed).hasSize(3);
    assertThat(printed.get(0)).contains("zone-paused").contains("reason=\"first\"");
    assertThat(printed.get(1)).contains("zone-resumed");
    assertThat(printed.get(2)).contains("zone-paused").contains("reason=\"second\"");
  }

  private record Bad(
      String method, String path, String token, String body, int status, String field) {}

  @Test
  void badInputOfEveryKindIsRefusedNamingTheFieldWritesNothingAndTheNodeKeepsServing()
      throws Exception {
    String override = base + "/api/v1/lines/a/override";
    String otherCluster = OperatorTokens.generate("staging", new SecureRandom());
    List<Bad> cases =
        List.of(
            new Bad("POST", override, operator, "{\"state\":\"down\",", 400, null),
            new Bad("POST", override, operator, "[1,2]", 400, null),
            new Bad("POST", override, operator, "", 400, null),
            new Bad(
                "POST",
                override,
                operator,
                "{\"state\":\"" + "x".repeat(70_000) + "\"}",
                413,
                null),
            new Bad(
                "POST",
                override,
                operator,
                "{\"state\":\"down\",\"reason\":\"r\",\"colour\":1}",
                400,
                "colour"),
            new Bad(
                "POST",
                override,
                operator,
                "{\"state\":\"up\",\"state\":\"down\",\"reason\":\"r\"}",
                400,
                "state"),
            new Bad("POST", override, operator, "{\"state\":5,\"reason\":\"r\"}", 400, "state"),
            new Bad(
                "POST",
                override,
                operator,
                "{\"state\":\"down\",\"duration\":\"0s\",\"reason\":\"r\"}",
                400,
                "duration"),
            new Bad(
                "POST",
                override,
                operator,
                "{\"state\":\"down\",\"duration\":\"8d\",\"reason\":\"r\"}",
                400,
                "duration"),
            new Bad(
                "POST",
                override,
                operator,
                "{\"state\":\"down\",\"duration\":\"-5m\",\"reason\":\"r\"}",
                400,
                "duration"),
            new Bad(
                "POST",
                override,
                operator,
                "{\"state\":\"down\",\"reason\":\"" + "r".repeat(501) + "\"}",
                400,
                "reason"),
            new Bad("POST", override, operator, "{\"state\":\"down\"}", 400, "reason"),
            new Bad(
                "POST",
                base + "/api/v1/lines/nope/override",
                operator,
                "{\"state\":\"down\",\"reason\":\"r\"}",
                404,
                null),
            new Bad("DELETE", base + "/api/v1/lines/nope/override", operator, null, 404, null),
            new Bad(
                "POST",
                base + "/api/v1/zones/nope.test/pause",
                operator,
                "{\"reason\":\"r\"}",
                404,
                null),
            new Bad(
                "POST",
                base + "/api/v1/zones/ops.test/pause",
                operator,
                "{\"reason\":\"\"}",
                400,
                "reason"),
            new Bad(
                "POST",
                base + "/api/v1/leader/step-down",
                operator,
                "{\"to\":\"nobody\"}",
                404,
                null),
            new Bad(
                "POST", override, otherCluster, "{\"state\":\"down\",\"reason\":\"r\"}", 401, null),
            new Bad("GET", base + "/api/v1/audit?since=yesterday", viewer, null, 400, "since"),
            new Bad("GET", base + "/api/v1/audit?cursor=zzz", viewer, null, 400, "cursor"),
            new Bad("GET", base + "/api/v1/audit?format=xml", viewer, null, 400, "format"));

    for (Bad c : cases) {
      HttpResponse<String> r;
      try {
        r = call(c.method(), c.path(), c.token(), c.body());
      } catch (java.io.IOException e) {
        throw new AssertionError(c.method() + " " + c.path() + ": " + e, e);
      }
      String what =
          c.method()
              + " "
              + c.path()
              + " "
              + (c.body() == null ? "" : c.body().substring(0, Math.min(80, c.body().length())));
      assertThat(r.statusCode()).as(what + " -> " + r.body()).isEqualTo(c.status());
      assertThat(r.headers().firstValue("Content-Type")).as(what).hasValue("application/json");
      assertThat(r.body()).as(what).contains("\"error\"").doesNotContain(otherCluster);
      if (c.field() != null) {
        assertThat(r.body()).as(what).contains("\"field\" : \"" + c.field() + "\"");
      }
    }

    assertThat(node.store().intents().overrides()).isEmpty();
    assertThat(node.store().intents().pauses()).isEmpty();
    assertThat(node.store().recentAudit(200))
        .noneMatch(e -> e.type().startsWith("override-") || e.type().startsWith("zone-"));
    assertThat(call("GET", base + "/healthz", viewer, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", base + "/api/v1/status", viewer, null).statusCode()).isEqualTo(200);
    assertThat(answers("127.0.0.21")).isTrue();
  }
}
