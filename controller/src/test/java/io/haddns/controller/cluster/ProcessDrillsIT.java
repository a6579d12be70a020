package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.HaddnsJar;
import io.haddns.controller.testing.ProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover drills on three {@code java -jar haddns.jar controller} processes writing a real BIND
 * (docs/operations.md, "Failover drills"), started through the admin API of a follower: a {@code
 * leader-crash} drill halts the leader's process at once and the next leader completes its report
 * with the measured takeover; a {@code line-failure} drill whose leader is SIGKILLed midway is
 * finished by the next leader, which restores the line and brings the record back.
 */
class ProcessDrillsIT {
  private static final String A = "127.0.0.21";
  private static final String B = "127.0.0.22";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final String token = OperatorTokens.generate("proc-it", new SecureRandom());
  private final HttpClient http = HttpClient.newHttpClient();
  private DnsTestServer dns;
  private ProcessCluster cluster;

  @RegisterExtension
  final AfterTestExecutionCallback printLogsOnFailure =
      context -> {
        if (context.getExecutionException().isPresent() && cluster != null) {
          System.out.println(cluster.logTails(80));
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    HaddnsJar jar = HaddnsJar.require();
    dns = BindServer.start(dir.resolve("bind"), ProcessCluster.ZONE);
    cluster =
        ProcessCluster.start(
            jar,
            dir,
            dns,
            3,
            2,
            "6s",
            "",
            """
            operators:
              tokens:
                - { name: drill-it, role: operator, sha256: "%s" }
            drills:
              allowLeaderCrash: true
            """
                .formatted(OperatorTokens.sha256(token)));
    cluster.nodes().forEach(p -> p.authenticateAs(token));
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (dns != null) {
        dns.close();
      }
    }
  }

  private HttpResponse<String> call(int node, String method, String path, String json)
      throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(cluster.node(node).endpoint() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Starts a drill through node {@code node}'s admin API; its id. */
  private String startDrill(int node, String body) throws Exception {
    HttpResponse<String> started = call(node, "POST", "/api/v1/drills", body);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    return JSON.readTree(started.body()).get("id").asText();
  }

  /** The drill as node {@code node} shows it once it has ended: its report. */
  private JsonNode awaitReport(int node, String id, Duration within) throws Exception {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                "ended"
                    .equals(
                        JSON.readTree(call(node, "GET", "/api/v1/drills/" + id, null).body())
                            .get("phase")
                            .asText()));
    return JSON.readTree(call(node, "GET", "/api/v1/drills/" + id, null).body());
  }

  private int otherThan(int old) {
    return (old + 1) % 3;
  }

  private int awaitNewLeader(int old) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.leaders().size() == 1 && cluster.leaders().get(0) != old);
    return cluster.leaders().get(0);
  }

  @Test
  void aLeaderCrashDrillHaltsTheLeaderAtOnceAndTheNextLeaderReportsTheTakeover() throws Exception {
    int old = cluster.awaitSettledLeader(A);
    long oldEpoch = cluster.fenceEpoch();
    ControllerProcess crashing = cluster.node(old);
    int asked = otherThan(old);

    String id = startDrill(asked, "{\"kind\":\"leader-crash\",\"rto\":\"3s\"}");

    // The leader halts itself: the exit status of a kill, and no graceful stop on the way.
    assertThat(crashing.awaitExit(Duration.ofSeconds(15))).isEqualTo(137);
    long exited = System.nanoTime();
    assertThat(crashing.log())
        .contains("drill id=" + id + " leader crash: node=" + crashing.nodeId() + " halts now")
        .doesNotContain("stopping (signal)");
    int next = awaitNewLeader(old);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> cluster.fenceEpoch() > oldEpoch);
    long fencedMs = (System.nanoTime() - exited) / 1_000_000;

    JsonNode report = awaitReport(asked, id, Duration.ofSeconds(20));
    long newEpoch = cluster.node(next).status().epoch();
    System.out.printf(
        "ProcessDrillsIT: leader-crash of %s: reported takeover %d ms; the new leader's fence at"
            + " BIND %d ms after the process exited%n",
        crashing.nodeId(), report.get("rtoMillis").asLong(), fencedMs);
    assertThat(report.get("verdict").asText()).as(report.toString()).isEqualTo("passed");
    assertThat(report.get("rtoMillis").asLong()).isBetween(1L, 3_000L);
    Instant injected = Instant.parse(report.get("timeline").get("injected").asText());
    Instant detected = Instant.parse(report.get("timeline").get("detected").asText());
    assertThat(Duration.between(injected, detected).toMillis())
        .isEqualTo(report.get("rtoMillis").asLong());
    assertThat(report.get("notes").toString())
        .contains("node " + ProcessCluster.nodeId(next) + " took over with epoch " + newEpoch);

    // The records are fine at BIND under the new leader's fence, and it writes them.
    assertThat(cluster.answer()).containsExactly(A);
    assertThat(cluster.fenceEpoch()).isEqualTo(newEpoch);
    cluster.lineA.down();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.answer().equals(List.of(B)));
  }

  @Test
  void aLineFailureDrillWhoseLeaderIsKilledMidwayEndsWithTheLineRestoredAndTheRecordBack()
      throws Exception {
    int old = cluster.awaitSettledLeader(A);
    int asked = otherThan(old);

    String id =
        startDrill(
            asked, "{\"kind\":\"line-failure\",\"line\":\"a\",\"duration\":\"8s\",\"rto\":\"5s\"}");
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.answer().equals(List.of(B)));
    cluster.node(old).kill();
    int next = awaitNewLeader(old);

    // The new leader keeps the line failed for the rest of the drill, then restores it.
    JsonNode running = JSON.readTree(call(asked, "GET", "/api/v1/drills/" + id, null).body());
    Instant ends = Instant.parse(running.get("timeline").get("injected").asText()).plusSeconds(8);
    if (Instant.now().isBefore(ends.minusMillis(500))) {
      assertThat(cluster.answer()).containsExactly(B);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.answer().equals(List.of(A)));
    assertThat(Instant.now()).isAfterOrEqualTo(ends);

    JsonNode report = awaitReport(asked, id, Duration.ofSeconds(20));
    System.out.println("ProcessDrillsIT: report after the leader's SIGKILL: " + report);
    assertThat(report.get("timeline").has("restored")).as(report.toString()).isTrue();
    assertThat(report.get("timeline").has("back-visible")).as(report.toString()).isTrue();
    assertThat(report.get("records")).isNotEmpty();
    report.get("records").forEach(r -> assertThat(r.get("back").isNull()).isFalse());
    assertThat(report.get("abortedBy").isNull()).isTrue();
    assertThat(cluster.node(next).status().lines())
        .anySatisfy(
            l -> {
              assertThat(l.name()).isEqualTo("a");
              assertThat(l.health()).isEqualTo("up");
            });
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.answer().equals(List.of(A)));
  }
}
