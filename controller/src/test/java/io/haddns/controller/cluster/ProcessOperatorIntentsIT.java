package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.testing.BindServer;
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
 * Operator intents on three {@code java -jar haddns.jar controller} processes writing a real BIND
 * (docs/operations.md, "Line overrides", "Leader step-down"), asked of a follower's admin API: a
 * drained line's record moves at BIND, the override outlives a {@code kill -9} of the leader and
 * the next leader removes it on time; a step-down hands over and a line failure during the
 * hand-over is still written, by the new leader only.
 */
class ProcessOperatorIntentsIT {
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
                - { name: alice, role: operator, sha256: "%s" }
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

  private int awaitNewLeader(int old) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.leaders().size() == 1 && cluster.leaders().get(0) != old);
    return cluster.leaders().get(0);
  }

  @Test
  void drainedLineMovesAtBindOutlivesAKilledLeaderAndIsRemovedOnTimeByTheNext() throws Exception {
    int old = cluster.awaitSettledLeader(A);
    int asked = (old + 1) % 3;

    HttpResponse<String> drained =
        call(
            asked,
            "POST",
            "/api/v1/lines/a/override",
            "{\"state\":\"down\",\"duration\":\"15s\",\"reason\":\"ISP maintenance\"}");
    assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
    Instant until = Instant.parse(JSON.readTree(drained.body()).get("until").asText());
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.answer().equals(List.of(B)));

    cluster.node(old).kill();
    int next = awaitNewLeader(old);
    assertThat(Instant.now())
        .as("the new leader took over before the override ended")
        .isBefore(until);
    // The new leader keeps the line drained: it reconciles with the override in force.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.fenceEpoch() == cluster.node(next).status().epoch());
    assertThat(cluster.answer()).containsExactly(B);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.answer().equals(List.of(A)));
    Instant back = Instant.now();
    assertThat(back).isAfterOrEqualTo(until.minusMillis(50)).isBefore(until.plusSeconds(3));
    JsonNode audit =
        JSON.readTree(call(asked, "GET", "/api/v1/audit?line=a&limit=20", null).body());
    assertThat(audit.toString())
        .contains("override-expired")
        .contains(ProcessCluster.nodeId(next))
        .contains("override-set");
  }

  @Test
  void stepDownHandsOverAndALineFailureDuringItIsWrittenByTheNewLeaderOnly() throws Exception {
    int old = cluster.awaitSettledLeader(A);
    int asked = (old + 1) % 3;
    long oldEpoch = cluster.fenceEpoch();

    cluster.lineA.down();
    HttpResponse<String> stepped = call(asked, "POST", "/api/v1/leader/step-down", null);

    assertThat(stepped.statusCode()).as(stepped.body()).isEqualTo(200);
    JsonNode result = JSON.readTree(stepped.body());
    assertThat(result.get("previousLeader").asText()).isEqualTo(ProcessCluster.nodeId(old));
    assertThat(result.get("newLeader").asText()).isNotEqualTo(ProcessCluster.nodeId(old));
    assertThat(result.get("epoch").asLong()).isGreaterThan(oldEpoch);
    assertThat(result.get("handOverMillis").asLong()).isBetween(0L, 10_000L);
    // The line failed while leadership moved: the record still follows it.
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.answer().equals(List.of(B)));
    long newEpoch = result.get("epoch").asLong();
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.fenceEpoch() >= newEpoch);
    assertThat(cluster.leaders()).hasSize(1).doesNotContain(old);
    // Nothing the old leader sent after the new term's fence claim was applied at BIND.
    List<String> log = dns.updateLogLines();
    int claim = -1;
    for (int i = 0; i < log.size() && claim < 0; i++) {
      if (log.get(i).contains("\"epoch=" + newEpoch + "\"")) {
        claim = i;
      }
    }
    assertThat(claim).as("the new term's fence claim in BIND's update log").isNotNegative();
    assertThat(cluster.successfulUpdatesFrom(old, claim)).isZero();
  }
}
