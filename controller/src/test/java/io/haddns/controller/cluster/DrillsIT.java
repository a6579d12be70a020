package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.operate.AuditPage;
import io.haddns.controller.operate.AuditQuery;
import io.haddns.controller.operate.Caller;
import io.haddns.controller.operate.DrillApi;
import io.haddns.controller.operate.DrillRequest;
import io.haddns.controller.operate.DrillStart;
import io.haddns.controller.operate.GuardRail;
import io.haddns.controller.operate.Outcome;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.ClusterHarness;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.SingleLeaderWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover drills on three controller nodes, a real three-server ZooKeeper quorum and a real BIND
 * server: every drill is asked of a follower and run by the leader, and what it reports is checked
 * against the test's own polling of BIND.
 */
class DrillsIT {
  private static final String A = "127.0.0.21";
  private static final String B = "127.0.0.22";
  private static final String RECORD = ClusterHarness.RECORD + "/A";
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

  /**
   * Waits until node {@code i} sees both lines' health recorded as up (the guard rails read it).
   */
  private void awaitLinesUp(int i) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                List.of("a", "b").stream()
                    .allMatch(
                        l ->
                            cluster.node(i).store().health().get(l) != null
                                && cluster.node(i).store().health().get(l).health()
                                    == io.haddns.probe.Health.UP));
  }

  private record Roles(int leader, int asked) {}

  /** Waits for one leader answering line a at BIND; a follower that sees both lines up is asked. */
  private Roles ready() throws Exception {
    int leader = cluster.awaitOneLeader();
    cluster.awaitAnswer(A);
    int asked = (leader + 1) % 3;
    awaitLinesUp(asked);
    return new Roles(leader, asked);
  }

  private DrillApi api(int node) {
    return cluster.node(node).drills();
  }

  private static DrillRequest lineFailure(String line, Duration duration, Duration rto) {
    return new DrillRequest(
        DrillKind.LINE_FAILURE,
        Optional.of(line),
        Optional.empty(),
        Optional.of(duration),
        Optional.of(rto),
        false);
  }

  private Drill startLineFailureOnA(int node, Duration duration, Duration rto) {
    return started(api(node).start(lineFailure("a", duration, rto), ALICE));
  }

  private static Drill started(DrillStart start) {
    assertThat(start).isInstanceOf(DrillStart.Started.class);
    return ((DrillStart.Started) start).drill();
  }

  private Drill awaitEnded(int node, String id, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> api(node).get(id) instanceof Outcome.Done<Drill> d && !d.value().running());
    return ((Outcome.Done<Drill>) api(node).get(id)).value();
  }

  /** Polls BIND every 5 ms until it answers {@code address} only; when it first did. */
  private Instant awaitAnswerPolling(String address, Duration atMost) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> now = cluster.answer();
      Instant at = Instant.now();
      if (now.equals(List.of(address))) {
        return at;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("BIND never answered " + address + ", last " + cluster.answer());
  }

  @Test
  void lineFailureDrillMovesTheRecordAndReportsTheRtoTheTestMeasures() throws Exception {
    Roles roles = ready();
    int leader = roles.leader();
    int asked = roles.asked();

    Drill drill = startLineFailureOnA(asked, Duration.ofSeconds(3), Duration.ofSeconds(5));
    Instant movedSeen = awaitAnswerPolling(B, Duration.ofSeconds(10));
    Instant backSeen = awaitAnswerPolling(A, Duration.ofSeconds(15));
    Drill report = awaitEnded(asked, drill.id(), Duration.ofSeconds(15));

    assertThat(report.verdict()).contains(Drill.Verdict.PASSED);
    Instant injected = report.at(Drill.Step.INJECTED).orElseThrow();
    assertThat(report.timeline())
        .containsKeys(
            Drill.Step.STARTED,
            Drill.Step.INJECTED,
            Drill.Step.DETECTED,
            Drill.Step.DECIDED,
            Drill.Step.WRITTEN,
            Drill.Step.VISIBLE,
            Drill.Step.RESTORED,
            Drill.Step.BACK_VISIBLE,
            Drill.Step.ENDED);
    List<Instant> order =
        List.of(
            report.at(Drill.Step.INJECTED).orElseThrow(),
            report.at(Drill.Step.DETECTED).orElseThrow(),
            report.at(Drill.Step.WRITTEN).orElseThrow(),
            report.at(Drill.Step.VISIBLE).orElseThrow(),
            report.at(Drill.Step.RESTORED).orElseThrow(),
            report.at(Drill.Step.BACK_VISIBLE).orElseThrow());
    assertThat(order).isSorted();
    Duration reported = report.recoveryTimes().get(RECORD);
    Duration measured = Duration.between(injected, movedSeen);
    assertThat(reported).isNotNull();
    assertThat(reported.minus(measured).abs()).isLessThanOrEqualTo(Duration.ofMillis(100));
    Instant back = report.records().getFirst().back().orElseThrow();
    assertThat(Duration.between(back, backSeen).abs()).isLessThanOrEqualTo(Duration.ofMillis(100));
    assertThat(report.records())
        .singleElement()
        .satisfies(r -> assertThat(r.before()).containsExactly(A));

    AuditPage page =
        ((Outcome.Done<AuditPage>) cluster.node(asked).operator().audit(AuditQuery.all())).value();
    assertThat(page.events())
        .extracting(AuditEvent::type)
        .containsSubsequence("drill-ended", "drill-started");
    assertThat(page.events())
        .filteredOn(e -> e.type().equals("drill-started"))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("line=a", "by=alice"));
    String base = "http://127.0.0.1:" + cluster.node(asked).admin().address().getPort();
    MetricsScrape metrics = MetricsScrape.of(base);
    assertThat(metrics.value("haddns_drill_last_result", Map.of("kind", "line-failure")))
        .hasValue(1.0);
    assertThat(
            metrics.value("haddns_drill_rto_seconds", Map.of("kind", "line-failure")).getAsDouble())
        .isCloseTo(reported.toNanos() / 1e9, org.assertj.core.data.Offset.offset(0.001));
    assertThat(watch.violations()).isEmpty();
  }

  @Test
  void anAbortedDrillRestoresTheLineAtOnce() throws Exception {
    Roles roles = ready();
    int leader = roles.leader();
    int asked = roles.asked();
    Drill drill = startLineFailureOnA(asked, Duration.ofMinutes(5), Duration.ofSeconds(5));
    cluster.awaitAnswer(B);

    Instant abort = Instant.now();
    assertThat(api(asked).abort(drill.id(), ALICE)).isInstanceOf(Outcome.Done.class);
    cluster.awaitAnswer(A);

    assertThat(Duration.between(abort, Instant.now())).isLessThan(Duration.ofSeconds(10));
    Drill report = awaitEnded(asked, drill.id(), Duration.ofSeconds(15));
    assertThat(report.verdict()).contains(Drill.Verdict.ABORTED);
    assertThat(report.abortedBy()).contains("alice");
    assertThat(report.at(Drill.Step.RESTORED)).isPresent();
    assertThat(report.at(Drill.Step.BACK_VISIBLE)).isPresent();
    assertThat(cluster.node(leader).node().lineStates().get("a").isUp()).isTrue();
    assertThat(api(asked).abort(drill.id(), ALICE)).isInstanceOf(Outcome.Conflict.class);
    assertThat(watch.violations()).isEmpty();
  }

  @Test
  void everyGuardRailInTheWayIsGivenAndNothingIsWritten() throws Exception {
    Roles roles = ready();
    int leader = roles.leader();
    int asked = roles.asked();
    var ops = cluster.node(asked).operator();
    assertThat(ops.drain("b", Duration.ofMinutes(5), "maintenance", ALICE))
        .isInstanceOf(Outcome.Done.class);
    assertThat(ops.pause(ClusterHarness.ZONE, "migration", ALICE)).isInstanceOf(Outcome.Done.class);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                cluster.node(asked).store().intents().pauses().containsKey(ClusterHarness.ZONE)
                    && cluster.node(asked).store().intents().overrides().containsKey("b"));

    DrillStart onA =
        api(asked).start(lineFailure("a", Duration.ofSeconds(30), Duration.ofSeconds(5)), ALICE);
    DrillStart onB =
        api(asked).start(lineFailure("b", Duration.ofSeconds(30), Duration.ofSeconds(5)), ALICE);

    assertThat(onA).isInstanceOf(DrillStart.Refused.class);
    assertThat(((DrillStart.Refused) onA).reasons())
        .extracting(GuardRail::rule)
        .containsExactlyInAnyOrder("no-other-line", "zone-paused");
    assertThat(((DrillStart.Refused) onB).reasons())
        .extracting(GuardRail::rule)
        .containsExactlyInAnyOrder("line-overridden", "zone-paused");
    assertThat(cluster.node(asked).store().drills().drills()).isEmpty();

    // Cleared, a drill starts; a second one is refused while it runs.
    assertThat(ops.clear("b", ALICE)).isInstanceOf(Outcome.Done.class);
    assertThat(ops.resume(ClusterHarness.ZONE, ALICE)).isInstanceOf(Outcome.Done.class);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                cluster.node(asked).store().intents().pauses().isEmpty()
                    && cluster.node(asked).store().intents().overrides().isEmpty());
    Drill first = startLineFailureOnA(asked, Duration.ofSeconds(30), Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.node(leader).store().drills().drills().containsKey(first.id()));
    DrillStart second =
        api(leader)
            .start(
                new DrillRequest(
                    DrillKind.LEADER_CRASH,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false),
                ALICE);
    assertThat(((DrillStart.Refused) second).reasons())
        .extracting(GuardRail::rule)
        .containsExactlyInAnyOrder("drill-running", "leader-crash-disabled");
    assertThat(api(asked).abort(first.id(), ALICE)).isInstanceOf(Outcome.Done.class);
    awaitEnded(asked, first.id(), Duration.ofSeconds(15));
    cluster.awaitAnswer(A);
  }

  @Test
  void aDrillWhoseLeaderIsLostMidwayIsFinishedByTheNextLeader() throws Exception {
    Roles roles = ready();
    int leader = roles.leader();
    int asked = roles.asked();
    Drill drill = startLineFailureOnA(asked, Duration.ofSeconds(8), Duration.ofSeconds(5));
    cluster.awaitAnswer(B);

    cluster.cutOffFromZooKeeper(leader);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.leaders().stream().anyMatch(i -> i != leader));
    int next = cluster.leaders().stream().filter(i -> i != leader).findFirst().orElseThrow();

    // The new leader keeps the line failed until the drill's time is over, then restores it.
    assertThat(cluster.answer()).containsExactly(B);
    Instant ends =
        ((Outcome.Done<Drill>) api(next).get(drill.id())).value().failureEnds().orElseThrow();
    Instant back = awaitAnswerPolling(A, Duration.ofSeconds(25));
    assertThat(back).isAfterOrEqualTo(ends);
    Drill report = awaitEnded(next, drill.id(), Duration.ofSeconds(15));
    assertThat(report.phase()).isEqualTo(Drill.Phase.ENDED);
    assertThat(report.at(Drill.Step.RESTORED)).isPresent();
    assertThat(report.at(Drill.Step.BACK_VISIBLE)).isPresent();
    assertThat(report.epoch()).isNotZero();
    assertThat(cluster.node(next).node().lineStates().get("a").isUp()).isTrue();
  }

  @Test
  void aProviderOutageHoldsTheZonesWritesBackAndTheZoneConvergesAfterIt() throws Exception {
    Roles roles = ready();
    int leader = roles.leader();
    int asked = roles.asked();
    Drill drill =
        started(
            api(asked)
                .start(
                    new DrillRequest(
                        DrillKind.PROVIDER_OUTAGE,
                        Optional.empty(),
                        Optional.of(ClusterHarness.ZONE),
                        Optional.of(Duration.ofSeconds(3)),
                        // The reconciler's retry backoff and the open breaker delay convergence
                        // by up to ~10 s after such an outage (the drill measures it).
                        Optional.of(Duration.ofSeconds(30)),
                        false),
                    ALICE));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                api(asked).get(drill.id()) instanceof Outcome.Done<Drill> d
                    && d.value().phase() == Drill.Phase.INJECTED);
    Instant ends =
        ((Outcome.Done<Drill>) api(asked).get(drill.id())).value().failureEnds().orElseThrow();

    // The line fails for real during the outage: the leader cannot write the move.
    cluster.lineA.down();
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofMillis(2000))
        .until(() -> cluster.answer().equals(List.of(A)));
    Instant moved = awaitAnswerPolling(B, Duration.ofSeconds(20));

    assertThat(moved).isAfterOrEqualTo(ends);
    Drill report = awaitEnded(asked, drill.id(), Duration.ofSeconds(20));
    assertThat(report.verdict()).as(report.notes().toString()).contains(Drill.Verdict.PASSED);
    assertThat(report.timeline())
        .containsKeys(
            Drill.Step.INJECTED,
            Drill.Step.DETECTED,
            Drill.Step.RESTORED,
            Drill.Step.WRITTEN,
            Drill.Step.BACK_VISIBLE);
    assertThat(report.records().getFirst().back().orElseThrow()).isAfterOrEqualTo(ends);
    assertThat(report.recoveryTime()).isPresent();
    assertThat(watch.violations()).isEmpty();
  }

  @Test
  void aLeaderFailoverDrillHandsOverAndTheNextLeaderReportsTheHandOverTime() throws Exception {
    int leader = cluster.awaitOneLeader();
    cluster.awaitAnswer(A);
    int asked = (leader + 1) % 3;
    long epoch = cluster.node(leader).node().epoch();

    Drill drill =
        started(
            api(asked)
                .start(
                    new DrillRequest(
                        DrillKind.LEADER_FAILOVER,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(Duration.ofSeconds(10)),
                        false),
                    ALICE));
    Drill report = awaitEnded(asked, drill.id(), Duration.ofSeconds(30));

    assertThat(report.verdict()).as(report.notes().toString()).contains(Drill.Verdict.PASSED);
    assertThat(report.epoch()).isEqualTo(epoch);
    assertThat(report.recoveryTime().orElseThrow()).isLessThan(Duration.ofSeconds(10));
    int next = cluster.awaitOneLeader();
    assertThat(cluster.node(next).node().epoch()).isGreaterThan(epoch);
    assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("took over"));
    // The new leader writes: no write lost across the drill.
    cluster.lineA.down();
    cluster.awaitAnswer(B);
    assertThat(watch.violations()).isEmpty();
  }
}
