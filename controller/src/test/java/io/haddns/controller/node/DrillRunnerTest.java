package io.haddns.controller.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.DrillsConfig;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.Drill.Step;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.testing.InMemoryDrillStore;
import io.haddns.controller.testing.InMemoryIntentStore;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.controller.testing.SettableClock;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's side of drills, stepped by hand on a settable clock: what it writes at each step,
 * the timeline and RTO it measures from the authoritative answers, and the roll-back after an
 * abort, a leader loss or a crash.
 */
class DrillRunnerTest {
  private static final InetAddress A = address("192.0.2.1");
  private static final InetAddress B = address("192.0.2.2");

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final AtomicLong epoch = new AtomicLong(7);
  private final AtomicLong storeEpoch = new AtomicLong(7);
  private final InMemoryStateStore state = new InMemoryStateStore();
  private final InMemoryIntentStore intents = new InMemoryIntentStore(state);
  private final InMemoryDrillStore drills = new InMemoryDrillStore(storeEpoch::get);
  private final AtomicReference<Set<InetAddress>> answer = new AtomicReference<>(Set.of(A));
  private final List<String> reconciles = new ArrayList<>();
  private final List<String> halts = new ArrayList<>();
  private final AtomicReference<Duration> askTakes = new AtomicReference<>(Duration.ZERO);
  private DrillRunner runner;

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HaddnsConfig config(boolean allowCrash) throws Exception {
    return config(allowCrash, DrillsConfig.DEFAULT_KEEP);
  }

  private static HaddnsConfig config(boolean allowCrash, int keep) throws Exception {
    String yaml =
        """
        cluster: { name: test, zookeeper: "127.0.0.1:2181", zookeeperAuth: { scheme: none } }
        lines:
          - { name: a, address: { static: [192.0.2.1] }, probes: [ { tcp: { port: 443 } } ] }
          - { name: b, address: { static: [192.0.2.2] }, probes: [ { tcp: { port: 443 } } ] }
        zones:
          - { name: example.com, provider: { type: rfc2136, server: "192.0.2.53:53" } }
        records:
          - { name: app.example.com, lines: [a, b] }
        node: { id: node-1 }
        """;
    HaddnsConfig c = new ConfigLoader(Map.of()).parse(yaml, "test.yaml", Path.of("/tmp"));
    DrillsConfig d = c.drills();
    return c.withDrills(
        new DrillsConfig(
            allowCrash,
            d.objective(),
            d.maxDuration(),
            d.alarmWindow(),
            d.blackouts(),
            keep,
            d.maxAge()));
  }

  private static Map<String, LineState> lines() {
    return Map.of(
        "a", new LineState("a", Health.UP, List.of(A)),
        "b", new LineState("b", Health.UP, List.of(B)));
  }

  private DrillRunner runner(boolean allowCrash) throws Exception {
    return runner(config(allowCrash));
  }

  private DrillRunner runner(HaddnsConfig config) throws Exception {
    ScheduledThreadPoolExecutor stopped = new ScheduledThreadPoolExecutor(1);
    stopped.shutdown();
    DrillRunner r =
        new DrillRunner(
            config,
            drills,
            intents,
            state,
            (zone, key) -> {
              clock.advance(askTakes.get());
              return Optional.of(List.of(answer.get(), answer.get()));
            },
            clock,
            () -> halts.add("halted with drill " + drills.drills().values()),
            zone -> reconciles.add("outage over " + zone),
            stopped);
    r.bind(
        new DrillRunner.Leader() {
          @Override
          public long epoch() {
            return epoch.get();
          }

          @Override
          public Map<String, LineState> probedLineStates() {
            return lines();
          }

          @Override
          public void reconcile(String why) {
            reconciles.add(why);
          }

          @Override
          public void resync(String zone, String why) {
            reconciles.add(zone + " " + why);
          }

          @Override
          public void termLost(String why) {
            epoch.set(0);
          }
        });
    return r;
  }

  @BeforeEach
  void setUp() throws Exception {
    runner = runner(false);
  }

  private Drill request(DrillKind kind, Duration duration) throws Exception {
    Drill d =
        Drill.requested(
            "d-1",
            kind,
            kind == DrillKind.LINE_FAILURE ? Optional.of("a") : Optional.empty(),
            Optional.empty(),
            Optional.ofNullable(duration),
            Duration.ofSeconds(2),
            false,
            "alice",
            clock.instant());
    drills.start(
        d,
        drills.drillsVersion(),
        new AuditEvent(clock.instant(), "node-2", "drill-started", "drill=d-1"));
    return d;
  }

  private void newTerm(long e) {
    epoch.set(e);
    storeEpoch.set(e);
  }

  private Drill drill() {
    return drills.drills().get("d-1").value();
  }

  @Test
  void aLineFailureDrillInjectsMeasuresTheMoveRestoresAndReportsTheRto() throws Exception {
    request(DrillKind.LINE_FAILURE, Duration.ofSeconds(30));
    clock.advance(Duration.ofMillis(20));
    Instant injected = clock.instant();

    runner.step();

    assertThat(drill().phase()).isEqualTo(Drill.Phase.INJECTED);
    assertThat(drill().records())
        .singleElement()
        .satisfies(r -> assertThat(r.before()).containsExactly("192.0.2.1"));
    assertThat(reconciles).hasSize(1);
    clock.advance(Duration.ofMillis(5));
    assertThat(runner.overlay(lines()).get("a").health()).isEqualTo(Health.DOWN);
    assertThat(runner.overlay(lines()).get("b").health()).isEqualTo(Health.UP);
    clock.advance(Duration.ofMillis(100));
    runner.applied(
        "example.com",
        List.of(
            new io.haddns.controller.plan.Change.Update(
                new io.haddns.controller.dns.RecordSet(
                    new io.haddns.controller.dns.RecordKey(
                        "app.example.com", io.haddns.controller.dns.RecordType.A),
                    300,
                    List.of(A)),
                new io.haddns.controller.dns.RecordSet(
                    new io.haddns.controller.dns.RecordKey(
                        "app.example.com", io.haddns.controller.dns.RecordType.A),
                    300,
                    List.of(B)))),
        clock.instant().minusMillis(30));

    runner.step();
    assertThat(drill().records().getFirst().visible()).isEmpty();

    clock.advance(Duration.ofMillis(275));
    answer.set(Set.of(B));
    runner.step();
    Drill moved = drill();
    assertThat(moved.at(Step.VISIBLE)).contains(injected.plusMillis(380));
    assertThat(moved.recoveryTimes()).containsEntry("app.example.com/A", Duration.ofMillis(380));
    assertThat(moved.at(Step.DETECTED)).contains(injected.plusMillis(5));
    assertThat(moved.at(Step.DECIDED)).contains(injected.plusMillis(75));
    assertThat(moved.at(Step.WRITTEN)).contains(injected.plusMillis(105));

    clock.advance(Duration.ofSeconds(30));
    runner.step();
    assertThat(drill().phase()).isEqualTo(Drill.Phase.RESTORED);
    assertThat(runner.overlay(lines()).get("a").health()).isEqualTo(Health.UP);
    clock.advance(Duration.ofMillis(400));
    answer.set(Set.of(A));
    runner.step();

    Drill report = drill();
    assertThat(report.phase()).isEqualTo(Drill.Phase.ENDED);
    assertThat(report.verdict()).contains(Drill.Verdict.PASSED);
    assertThat(report.recoveryTime()).contains(Duration.ofMillis(380));
    assertThat(report.at(Step.BACK_VISIBLE))
        .contains(report.at(Step.RESTORED).orElseThrow().plusMillis(400));
    assertThat(drills.events())
        .extracting(AuditEvent::type)
        .containsExactly("drill-started", "drill-ended");
    assertThat(drills.events().getLast().detail()).contains("verdict=passed", "rto=380ms");
  }

  @Test
  void logsADrillsStepsWithItsIdAsTheDrillField() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DrillRunner.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try {
      request(DrillKind.LINE_FAILURE, Duration.ofSeconds(30));

      runner.step();
    } finally {
      logger.detachAppender(seen);
    }

    assertThat(seen.list)
        .filteredOn(e -> e.getFormattedMessage().startsWith("drill id="))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("drill", drill().id()));
    assertThat(org.slf4j.MDC.get("drill")).isNull();
  }

  @Test
  void aReconcileRightAfterAnInjectionSeesItBeforeTheViewDoes() throws Exception {
    request(DrillKind.LINE_FAILURE, Duration.ofSeconds(30));
    drills.lagging(true);

    runner.step();
    assertThat(drill().phase()).isEqualTo(Drill.Phase.REQUESTED);
    assertThat(runner.overlay(lines()).get("a").health()).isEqualTo(Health.DOWN);
  }

  @Test
  void aRequestNoLeaderTookUpInTimeLapsesUnrun() throws Exception {
    request(DrillKind.LINE_FAILURE, Duration.ofSeconds(30));
    clock.advance(DrillRunner.REQUEST_LIMIT.plusSeconds(1));

    runner.step();

    assertThat(drill().verdict()).contains(Drill.Verdict.ABORTED);
    assertThat(drill().at(Step.INJECTED)).isEmpty();
    assertThat(drill().notes()).anySatisfy(n -> assertThat(n).contains("not run"));
    assertThat(reconciles).isEmpty();
  }

  @Test
  void anAbortWithdrawsTheFailureAtOnce() throws Exception {
    request(DrillKind.LINE_FAILURE, Duration.ofMinutes(10));
    runner.step();
    var v = drills.drills().get("d-1");
    drills.update(
        v.value().withAbort("bob"),
        v.version(),
        new AuditEvent(clock.instant(), "node-2", "drill-abort", "drill=d-1"));

    assertThat(runner.overlay(lines()).get("a").health()).isEqualTo(Health.UP);
    runner.step();

    assertThat(drill().phase()).isEqualTo(Drill.Phase.RESTORED);
    runner.step();
    assertThat(drill().verdict()).contains(Drill.Verdict.ABORTED);
  }

  @Test
  void aProviderOutageThatEndsClosesTheZonesBreakerBeforeTheZoneIsReadBack() throws Exception {
    drills.start(
        Drill.requested(
            "d-1",
            DrillKind.PROVIDER_OUTAGE,
            Optional.empty(),
            Optional.of("example.com"),
            Optional.of(Duration.ofSeconds(3)),
            Duration.ofSeconds(2),
            false,
            "alice",
            clock.instant()),
        drills.drillsVersion(),
        new AuditEvent(clock.instant(), "node-2", "drill-started", "drill=d-1"));
    runner.step();
    assertThat(runner.failing("example.com")).isPresent();
    assertThat(reconciles).noneMatch(r -> r.startsWith("outage over"));

    clock.advance(Duration.ofSeconds(4));
    runner.step();

    assertThat(drill().phase()).isEqualTo(Drill.Phase.RESTORED);
    assertThat(reconciles)
        .containsSubsequence("outage over example.com", "example.com drill d-1 restored");
  }

  @Test
  void aNewLeaderRestoresALineWhoseDrillOutlivedItsDuration() throws Exception {
    request(DrillKind.LINE_FAILURE, Duration.ofSeconds(30));
    runner.step();
    assertThat(drill().failingAt(clock.instant())).isTrue();

    // The leader is lost; the failure lapses on time even before anyone acts.
    newTerm(8);
    clock.advance(Duration.ofSeconds(31));
    DrillRunner next = runner(false);
    assertThat(next.overlay(lines()).get("a").health()).isEqualTo(Health.UP);
    next.termBegan(8, clock.instant());
    next.step();

    assertThat(drill().phase()).isEqualTo(Drill.Phase.RESTORED);
    assertThat(reconciles).last().asString().contains("restored");
  }

  @Test
  void aMoveFirstSeenByTheNextLeaderIsReportedAsAnUpperBound() throws Exception {
    request(DrillKind.LINE_FAILURE, Duration.ofSeconds(30));
    runner.step();
    answer.set(Set.of(B));
    newTerm(8);
    clock.advance(Duration.ofSeconds(2));
    DrillRunner next = runner(false);
    next.termBegan(8, clock.instant());

    next.step();

    assertThat(drill().recoveryTime()).contains(Duration.ofSeconds(2));
    assertThat(drill().notes())
        .singleElement()
        .asString()
        .contains("app.example.com/A", "node-1", "epoch 8", "upper bound");
  }

  @Test
  void aFencedOutLeaderWritesNothingAndStopsLeading() throws Exception {
    request(DrillKind.LINE_FAILURE, Duration.ofSeconds(30));
    storeEpoch.set(8);

    assertThat(runner.step()).isFalse();

    assertThat(drill().phase()).isEqualTo(Drill.Phase.REQUESTED);
    assertThat(epoch.get()).isZero();
  }

  @Test
  void aReportNeverEndsBeforeItsRecordsWereSeenBack() throws Exception {
    request(DrillKind.LINE_FAILURE, Duration.ofSeconds(1));
    runner.step();
    answer.set(Set.of(B));
    runner.step();
    clock.advance(Duration.ofSeconds(1));
    runner.step();
    assertThat(drill().phase()).isEqualTo(Drill.Phase.RESTORED);

    // Asking the authoritative servers takes time: the answer is seen after the step began.
    askTakes.set(Duration.ofMillis(4));
    answer.set(Set.of(A));
    runner.step();

    Drill report = drill();
    assertThat(report.phase()).isEqualTo(Drill.Phase.ENDED);
    Instant back = report.at(Step.BACK_VISIBLE).orElseThrow();
    assertThat(report.records().getFirst().back()).contains(back);
    assertThat(report.at(Step.ENDED).orElseThrow()).isAfterOrEqualTo(back);
  }

  @Test
  void aLeaderCrashDrillRecordsItsInjectionThenHalts() throws Exception {
    DrillRunner crashing = runner(true);
    request(DrillKind.LEADER_CRASH, null);

    crashing.step();

    assertThat(halts).singleElement().asString().contains("phase=INJECTED");
    assertThat(drill().epoch()).isEqualTo(7);

    // The next leader ends it with its own term's beginning as the detection.
    newTerm(8);
    clock.advance(Duration.ofMillis(900));
    DrillRunner next = runner(true);
    next.termBegan(8, clock.instant());
    next.step();
    Drill report = drill();
    assertThat(report.verdict()).contains(Drill.Verdict.PASSED);
    assertThat(report.recoveryTime()).contains(Duration.ofMillis(900));
  }

  @Test
  void reportsBeyondTheRetainedCountOrAgeAreRemovedByTheLeader() throws Exception {
    DrillRunner keepingTwo = runner(config(false, 2));
    Instant first = clock.instant();
    for (int i = 1; i <= 4; i++) {
      Drill d =
          Drill.requested(
                  "d-" + i,
                  DrillKind.LEADER_FAILOVER,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Duration.ofSeconds(2),
                  false,
                  "alice",
                  i == 1
                      ? first.minus(DrillsConfig.DEFAULT_MAX_AGE).minusSeconds(1)
                      : clock.instant())
              .withAbort("alice")
              .ended(clock.instant());
      drills.start(
          d,
          drills.drillsVersion(),
          new AuditEvent(clock.instant(), "node-1", "drill-started", ""));
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(keepingTwo.step()).isFalse();

    assertThat(drills.drills().keySet()).containsExactlyInAnyOrder("d-3", "d-4");
  }

  @Test
  void aLeaderCrashDrillIsNotCarriedOutWhenTheClusterDoesNotAllowIt() throws Exception {
    request(DrillKind.LEADER_CRASH, null);

    runner.step();

    assertThat(halts).isEmpty();
    assertThat(drill().verdict()).contains(Drill.Verdict.ABORTED);
  }
}
