package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.haddns.probe.Health;
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
 * The drill endpoints of the admin API and {@code haddns ctl drill} on a whole node (embedded
 * ZooKeeper and DNS, two lines with real TCP listeners): roles, bad fields, unknown names and guard
 * rails are refused with their reasons and write nothing; a drill run from ctl moves the record,
 * shows up in the list and its report, and an abort ends it.
 */
class DrillRoutesNodeIT {
  private static final RecordKey APP = new RecordKey("app.ops.test", RecordType.A);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final String admin = OperatorTokens.generate("ops", new SecureRandom());
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
            - { name: root, role: admin, sha256: "%s" }
            - { name: alice, role: operator, sha256: "%s" }
            - { name: grafana, role: viewer, sha256: "%s" }
        drills:
          rto: 5s
          blackouts: ["%s"]
        """
            .formatted(
                dir.resolve("data"),
                port,
                port,
                OperatorTokens.sha256(admin),
                OperatorTokens.sha256(operator),
                OperatorTokens.sha256(viewer),
                blackoutAroundNow());
    HaddnsConfig cfg = new ConfigLoader(Map.of()).parse(yaml, "ops.yaml", dir);
    node =
        NodeRuntime.start(
            cfg.withNode(new NodeConfig("ops-node", "127.0.0.1", 0, "127.0.0.1", 0)),
            Optional.empty(),
            InstantSource.system(),
            "it");
    base = "http://127.0.0.1:" + node.admin().address().getPort();
    await().atMost(Duration.ofSeconds(20)).until(() -> answers("127.0.0.21"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                List.of("a", "b").stream()
                    .allMatch(
                        l ->
                            node.store().health().get(l) != null
                                && node.store().health().get(l).health() == Health.UP));
  }

  /** A blackout window from an hour before now to an hour after (UTC). */
  private static String blackoutAroundNow() {
    java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
    java.time.format.DateTimeFormatter hm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
    return hm.format(now.minusHours(1)) + "-" + hm.format(now.plusHours(1));
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
  void refusesRolesBadFieldsUnknownNamesAndGuardRailsWithReasonsAndWritesNothing()
      throws Exception {
    String drills = base + "/api/v1/drills";
    String lineFailure = "{\"kind\":\"line-failure\",\"line\":\"a\",\"duration\":\"30s\"}";

    HttpResponse<String> asViewer = call("POST", drills, viewer, lineFailure);
    HttpResponse<String> badKind = call("POST", drills, operator, "{\"kind\":\"meteor\"}");
    HttpResponse<String> noDuration =
        call("POST", drills, operator, "{\"kind\":\"line-failure\",\"line\":\"a\"}");
    HttpResponse<String> badRto =
        call(
            "POST",
            drills,
            operator,
            "{\"kind\":\"line-failure\",\"line\":\"a\",\"duration\":\"30s\",\"rto\":\"fast\"}");
    HttpResponse<String> unknownLine =
        call(
            "POST",
            drills,
            operator,
            "{\"kind\":\"line-failure\",\"line\":\"nope\",\"duration\":\"30s\"}");
    HttpResponse<String> unknownField =
        call("POST", drills, operator, "{\"kind\":\"leader-failover\",\"color\":\"red\"}");
    HttpResponse<String> forcedByOperator =
        call(
            "POST",
            drills,
            operator,
            "{\"kind\":\"line-failure\",\"line\":\"a\",\"duration\":\"30s\",\"force\":true}");
    HttpResponse<String> railed = call("POST", drills, operator, lineFailure);
    HttpResponse<String> leaderAlone =
        call("POST", drills, admin, "{\"kind\":\"leader-failover\",\"force\":true}");
    HttpResponse<String> unknownDrill = call("GET", drills + "/nope", viewer, null);
    HttpResponse<String> abortUnknown = call("POST", drills + "/nope/abort", operator, null);

    assertThat(asViewer.statusCode()).isEqualTo(403);
    assertThat(badKind.statusCode()).isEqualTo(400);
    assertThat(badKind.body()).contains("\"field\"").contains("\"kind\"");
    assertThat(noDuration.statusCode()).isEqualTo(400);
    assertThat(noDuration.body()).contains("\"duration\"");
    assertThat(badRto.statusCode()).isEqualTo(400);
    assertThat(badRto.body()).contains("\"rto\"");
    assertThat(unknownLine.statusCode()).isEqualTo(404);
    assertThat(unknownLine.body()).contains("no such line: nope");
    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(unknownField.body()).contains("color");
    assertThat(forcedByOperator.statusCode()).isEqualTo(403);
    assertThat(railed.statusCode()).as(railed.body()).isEqualTo(409);
    Map<?, ?> refusal = JSON.readValue(railed.body(), Map.class);
    assertThat((List<?>) refusal.get("reasons"))
        .extracting(r -> (Object) ((Map<?, ?>) r).get("rule"))
        .containsExactly("blackout");
    assertThat(leaderAlone.statusCode()).isEqualTo(409);
    assertThat(leaderAlone.body()).contains("\"members\"").doesNotContain("\"blackout\"");
    assertThat(unknownDrill.statusCode()).isEqualTo(404);
    assertThat(abortUnknown.statusCode()).isEqualTo(404);
    assertThat(node.store().drills().drills()).isEmpty();
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
  void ctlRunsAForcedDrillListsShowsAndAbortsIt() throws Exception {
    Path rootToken = dir.resolve("root.token");
    Files.writeString(rootToken, admin + "\n");
    Path aliceToken = dir.resolve("alice.token");
    Files.writeString(aliceToken, operator + "\n");
    String[] asRoot = {"--endpoint", base, "--token-file", rootToken.toString()};
    String[] asAlice = {"--endpoint", base, "--token-file", aliceToken.toString()};

    Ctl refused =
        ctl(
            concat(
                new String[] {
                  "ctl", "drill", "run", "line-failure", "--line", "a", "--duration", "1m"
                },
                asAlice));
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("HTTP 409").contains("blackout");

    Ctl run =
        ctl(
            concat(
                new String[] {
                  "ctl",
                  "drill",
                  "run",
                  "line-failure",
                  "--line",
                  "a",
                  "--duration",
                  "1m",
                  "--rto",
                  "3s",
                  "--force"
                },
                asRoot));
    assertThat(run.exit()).as(run.err()).isZero();
    String id = (String) JSON.readValue(run.out(), Map.class).get("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> answers("127.0.0.22"));

    Ctl list = ctl(concat(new String[] {"ctl", "drill", "list"}, asAlice));
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("ID").contains(id).contains("line-failure");
    Ctl show = ctl(concat(new String[] {"ctl", "drill", "show", id}, asAlice));
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).contains("TIMELINE").contains("injected").contains("(forced)");

    Ctl abort = ctl(concat(new String[] {"ctl", "drill", "abort", id}, asAlice));
    assertThat(abort.exit()).as(abort.err()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> answers("127.0.0.21"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !node.store().drills().drills().get(id).value().running());
    Ctl report =
        ctl(concat(new String[] {"ctl", "drill", "show", id, "--output", "json"}, asAlice));
    assertThat(report.exit()).as(report.err()).isZero();
    Map<?, ?> json = JSON.readValue(report.out(), Map.class);
    assertThat(json.get("verdict")).isEqualTo("aborted");
    assertThat(json.get("abortedBy")).isEqualTo("alice");
    assertThat(((Map<?, ?>) json.get("timeline")).keySet().stream().map(String::valueOf).toList())
        .contains("started", "injected", "restored", "back-visible", "ended");
    assertThat(run.out() + run.err() + list.out() + show.out() + report.out())
        .doesNotContain(admin)
        .doesNotContain(operator);
  }

  @Test
  void ctlRunWaitPrintsTheReportAndExitsByItsVerdict() throws Exception {
    Path rootToken = dir.resolve("root.token");
    Files.writeString(rootToken, admin + "\n");
    String[] asRoot = {"--endpoint", base, "--token-file", rootToken.toString()};

    Ctl passed =
        ctl(
            concat(
                new String[] {
                  "ctl",
                  "drill",
                  "run",
                  "line-failure",
                  "--line",
                  "a",
                  "--duration",
                  "1s",
                  "--rto",
                  "5s",
                  "--force",
                  "--wait"
                },
                asRoot));
    Ctl failed =
        ctl(
            concat(
                new String[] {
                  "ctl",
                  "drill",
                  "run",
                  "line-failure",
                  "--line",
                  "a",
                  "--duration",
                  "1s",
                  "--rto",
                  "1ms",
                  "--force",
                  "--wait"
                },
                asRoot));

    assertThat(passed.exit()).as(passed.err()).isZero();
    assertThat(passed.out()).contains("waiting for its report").contains("verdict   passed");
    assertThat(passed.out()).contains("TIMELINE").contains("back-visible");
    assertThat(failed.exit()).as(failed.out() + failed.err()).isEqualTo(3);
    assertThat(failed.out()).contains("verdict   failed").contains("over the objective of 1 ms");
    assertThat(answers("127.0.0.21")).isTrue();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
