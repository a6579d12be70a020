package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.operate.AuditPage;
import io.haddns.controller.operate.AuditQuery;
import io.haddns.controller.operate.Caller;
import io.haddns.controller.operate.OperatorApi;
import io.haddns.controller.operate.Outcome;
import io.haddns.controller.operate.StepDownResult;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.ClusterHarness;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.SingleLeaderWatch;
import io.haddns.controller.testing.ZkDigestSecret;
import io.haddns.probe.Health;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' intents on three controller nodes, a real three-server ZooKeeper quorum and a real
 * BIND server: every call goes to a follower, the leader acts, and the effect is checked at BIND.
 */
class OperatorIntentsIT {
  private static final String A = "127.0.0.21";
  private static final String B = "127.0.0.22";
  private static final Caller ALICE = new Caller("alice", "192.0.2.10");

  @TempDir Path dir;
  private DnsTestServer dns;
  private ClusterHarness cluster;
  private SingleLeaderWatch watch;

  @BeforeEach
  void setUp() throws Exception {
    dns = BindServer.start(dir.resolve("bind"), ClusterHarness.ZONE);
    cluster = ClusterHarness.start(dir, dns, 3, "3s");
    watch = new SingleLeaderWatch(cluster);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (watch != null) {
      watch.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  /** The node id of the latch node with the highest sequence. */
  private String lastInLatchQueue() throws Exception {
    try (ZkClient zk =
        new ZkClient(
            cluster.zk.getConnectString(),
            Duration.ofSeconds(3),
            Duration.ofSeconds(2),
            ZkDigestSecret.access(dir))) {
      zk.start();
      String leaderPath = new ZkPaths("it").leader();
      List<String> latches =
          zk.curator().getChildren().forPath(leaderPath).stream()
              .filter(n -> n.contains("latch-"))
              .sorted(Comparator.comparing(n -> n.substring(n.lastIndexOf("latch-"))))
              .toList();
      byte[] data = zk.curator().getData().forPath(leaderPath + "/" + latches.getLast());
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private static int follower(int leader) {
    return (leader + 1) % 3;
  }

  private OperatorApi api(int node) {
    return cluster.node(node).operator();
  }

  @Test
  void drainedLineMovesItsRecordSurvivesTheLeadersLossAndExpiresOnTime() throws Exception {
    int leader = cluster.awaitOneLeader();
    cluster.awaitAnswer(A);
    int asked = follower(leader);

    Outcome<LineOverride> drained =
        api(asked).drain("a", Duration.ofSeconds(12), "ISP maintenance", ALICE);

    assertThat(drained).isInstanceOf(Outcome.Done.class);
    Instant until = ((Outcome.Done<LineOverride>) drained).value().until().orElseThrow();
    cluster.awaitAnswer(B);
    // Probing went on underneath: the line itself is still up.
    assertThat(cluster.node(leader).node().probedLineStates().get("a").health())
        .isEqualTo(Health.UP);

    // The leader is cut off (as if it crashed); another node takes over and keeps the override.
    cluster.cutOffFromZooKeeper(leader);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.leaders().stream().anyMatch(i -> i != leader));
    int next = cluster.leaders().stream().filter(i -> i != leader).findFirst().orElseThrow();
    assertThat(cluster.node(next).store().intents().overrides()).containsKey("a");
    assertThat(Instant.now()).isBefore(until);
    assertThat(cluster.answer()).containsExactly(B);

    // It expires by itself at its time, removed by the new leader, and the record comes back.
    await()
        .atMost(Duration.ofSeconds(25))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.answer().equals(List.of(A)));
    Instant back = Instant.now();
    assertThat(back).isAfterOrEqualTo(until).isBefore(until.plusSeconds(3));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.node(next).store().intents().overrides().isEmpty());
    AuditPage page =
        ((Outcome.Done<AuditPage>) api(next).audit(AuditQuery.all().withLine("a"))).value();
    assertThat(page.events())
        .extracting(AuditEvent::type)
        .containsSubsequence("override-expired", "override-set");
    assertThat(page.events())
        .filteredOn(e -> e.type().equals("override-set"))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("by=alice", "source=192.0.2.10"));
    assertThat(watch.violations()).isEmpty();
  }

  @Test
  void pausedZoneIsNotWrittenWhenALineFailsAndResumeConvergesAtOnce() throws Exception {
    int leader = cluster.awaitOneLeader();
    cluster.awaitAnswer(A);
    int asked = follower(leader);
    assertThat(api(asked).pause(ClusterHarness.ZONE, "provider migration", ALICE))
        .isInstanceOf(Outcome.Done.class);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> cluster.node(leader).store().intents().pauses().containsKey(ClusterHarness.ZONE));
    long writes = cluster.dnsWritesFrom(leader);

    cluster.lineA.down();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                cluster.node(asked).store().health().get("a") != null
                    && cluster.node(asked).store().health().get("a").health() == Health.DOWN);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> cluster.answer().equals(List.of(A)));
    assertThat(cluster.dnsWritesFrom(leader)).isEqualTo(writes);

    Instant resumed = Instant.now();
    assertThat(api(asked).resume(ClusterHarness.ZONE, ALICE)).isEqualTo(new Outcome.Done<>(true));
    cluster.awaitAnswer(B);
    assertThat(Duration.between(resumed, Instant.now())).isLessThan(Duration.ofSeconds(5));
    assertThat(watch.violations()).isEmpty();
  }

  @Test
  void stepDownHandsOverToAnotherNodeAndTheNewLeaderKeepsWriting() throws Exception {
    int leader = cluster.awaitOneLeader();
    cluster.awaitAnswer(A);
    long epoch = cluster.node(leader).node().epoch();

    Outcome<StepDownResult> out = api(follower(leader)).stepDown(Optional.empty(), ALICE);

    StepDownResult r = ((Outcome.Done<StepDownResult>) out).value();
    assertThat(r.previousLeader()).isEqualTo(ClusterHarness.nodeId(leader));
    assertThat(r.newLeader()).isNotEqualTo(r.previousLeader()).isNotEmpty();
    assertThat(r.epoch()).isGreaterThan(epoch);
    assertThat(r.handOver()).isLessThan(Duration.ofSeconds(5));
    int next = cluster.awaitOneLeader();
    assertThat(ClusterHarness.nodeId(next)).isEqualTo(r.newLeader());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.node(next).store().intents().stepDown().isEmpty());

    // No write lost across the hand-over: the new leader fences the zone and follows the lines.
    cluster.lineA.down();
    cluster.awaitAnswer(B);
    assertThat(cluster.fenceEpoch()).isEqualTo(cluster.node(next).node().epoch());
    assertThat(watch.violations()).isEmpty();
  }

  @Test
  void stepDownToANamedNodeHandsLeadershipToThatNode() throws Exception {
    int leader = cluster.awaitOneLeader();
    cluster.awaitAnswer(A);
    // The node last in the latch queue: a plain hand-over would go to the one before it.
    long epoch = cluster.node(leader).node().epoch();
    String lastInQueue = lastInLatchQueue();
    assertThat(lastInQueue).isNotEqualTo(ClusterHarness.nodeId(leader));
    int target = Integer.parseInt(lastInQueue.substring("node-".length())) - 1;

    Outcome<StepDownResult> out =
        api(follower(leader)).stepDown(Optional.of(ClusterHarness.nodeId(target)), ALICE);

    StepDownResult r = ((Outcome.Done<StepDownResult>) out).value();
    assertThat(r.newLeader()).isEqualTo(ClusterHarness.nodeId(target));
    // One hand-over straight to the target, not a detour through the node next in the queue.
    assertThat(r.epoch()).isEqualTo(epoch + 1);
    assertThat(cluster.awaitOneLeader()).isEqualTo(target);
    // The nodes that kept out join again once the target leads.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> cluster.nodes().stream().allMatch(n -> n.node().election() != null));
    assertThat(watch.violations()).isEmpty();
  }
}
