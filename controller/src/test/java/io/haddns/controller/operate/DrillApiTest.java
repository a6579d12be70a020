package io.haddns.controller.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.testing.InMemoryDrillStore;
import io.haddns.controller.testing.InMemoryIntentStore;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.controller.testing.SettableClock;
import io.haddns.probe.Health;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrillApiTest {
  private static final Caller ALICE = new Caller("alice", "192.0.2.10");
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final InMemoryIntentStore intents = new InMemoryIntentStore(store);
  private final InMemoryDrillStore drills = new InMemoryDrillStore(store::currentEpoch);
  private DrillApi api;

  @BeforeEach
  void setUp() throws Exception {
    String yaml =
        """
        cluster: { name: test, zookeeper: "127.0.0.1:2181", zookeeperAuth: { scheme: none } }
        lines:
          - { name: a, address: { static: [192.0.2.1] }, probes: [ { tcp: { port: 443 } } ] }
          - { name: b, address: { static: [192.0.2.2] }, probes: [ { tcp: { port: 443 } } ] }
        zones:
          - { name: example.com, provider: { type: embedded } }
        records:
          - { name: app.example.com, lines: [a, b] }
        node: { id: node-1 }
        drills: { maxDuration: 10m, alarmWindow: 15m, rto: 4s }
        """;
    HaddnsConfig config = new ConfigLoader(Map.of()).parse(yaml, "test.yaml", Path.of("/tmp"));
    api =
        new DrillApi(
            config,
            drills,
            intents,
            store,
            new AuditReader(store, 1000),
            (condition, timeout) -> condition.getAsBoolean(),
            clock);
    long epoch = store.beginTerm("latch");
    for (String line : List.of("a", "b")) {
      store.putHealth(
          epoch, new LineHealth(line, Health.UP, List.of(), clock.instant(), epoch, "probed"));
    }
    store.registerMember(new MemberInfo("node-1", "127.0.0.1:1", "t", clock.instant()));
  }

  private static DrillRequest lineFailure(String line, String duration) {
    return new DrillRequest(
        DrillKind.LINE_FAILURE,
        Optional.ofNullable(line),
        Optional.empty(),
        Optional.ofNullable(duration).map(d -> Duration.parse("PT" + d)),
        Optional.empty(),
        false);
  }

  @Test
  void startWritesTheRequestWithItsAuditEventAndTheConfiguredObjective() {
    DrillStart out = api.start(lineFailure("a", "30S"), ALICE);

    Drill d = ((DrillStart.Started) out).drill();
    assertThat(d.phase()).isEqualTo(Drill.Phase.REQUESTED);
    assertThat(d.objective()).isEqualTo(Duration.ofSeconds(4));
    assertThat(d.at(Drill.Step.STARTED)).contains(clock.instant());
    assertThat(drills.drills()).containsKey(d.id());
    assertThat(drills.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("drill-started");
              assertThat(e.detail())
                  .contains("kind=line-failure", "line=a", "by=alice", "source=192.0.2.10");
            });
  }

  @Test
  void refusesBadFieldsAndUnknownNamesWritingNothing() {
    assertThat(api.start(lineFailure(null, "30S"), ALICE))
        .isEqualTo(
            new DrillStart.NotStarted(
                new Outcome.Invalid<>("line", "line is required for a line-failure drill")));
    assertThat(((DrillStart.NotStarted) api.start(lineFailure("nope", "30S"), ALICE)).why())
        .isEqualTo(new Outcome.NotFound<>("line", "nope"));
    assertThat(((DrillStart.NotStarted) api.start(lineFailure("a", null), ALICE)).why())
        .isInstanceOfSatisfying(
            Outcome.Invalid.class, i -> assertThat(i.field()).isEqualTo("duration"));
    assertThat(((DrillStart.NotStarted) api.start(lineFailure("a", "11M"), ALICE)).why())
        .isInstanceOfSatisfying(
            Outcome.Invalid.class, i -> assertThat(i.field()).isEqualTo("duration"));
    DrillRequest leaderWithLine =
        new DrillRequest(
            DrillKind.LEADER_FAILOVER,
            Optional.of("a"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false);
    assertThat(((DrillStart.NotStarted) api.start(leaderWithLine, ALICE)).why())
        .isInstanceOfSatisfying(
            Outcome.Invalid.class, i -> assertThat(i.field()).isEqualTo("line"));
    assertThat(drills.drills()).isEmpty();
    assertThat(drills.events()).isEmpty();
  }

  @Test
  void anApplyFailureWithinTheAlarmWindowRefusesUnlessForced() {
    store.audit(
        new AuditEvent(
            clock.instant().minus(Duration.ofMinutes(20)), "node-1", "apply-failed", "zone=x"));
    assertThat(api.preflight(lineFailure("a", "30S"))).isEmpty();

    store.audit(
        new AuditEvent(
            clock.instant().minus(Duration.ofMinutes(5)), "node-1", "apply-failed", "zone=x"));

    assertThat(api.start(lineFailure("a", "30S"), ALICE))
        .isInstanceOfSatisfying(
            DrillStart.Refused.class,
            r -> assertThat(r.reasons()).extracting(GuardRail::rule).containsExactly("alarm"));
    DrillRequest forced =
        new DrillRequest(
            DrillKind.LINE_FAILURE,
            Optional.of("a"),
            Optional.empty(),
            Optional.of(Duration.ofSeconds(30)),
            Optional.empty(),
            true);
    assertThat(api.start(forced, ALICE)).isInstanceOf(DrillStart.Started.class);
    assertThat(api.start(forced, ALICE))
        .isInstanceOfSatisfying(
            DrillStart.Refused.class,
            r ->
                assertThat(r.reasons())
                    .extracting(GuardRail::rule)
                    .containsExactly("drill-running"));
  }

  @Test
  void aPreflightChecksFieldsAndNamesEveryGuardRailWithoutWritingAnything() {
    assertThat(api.check(lineFailure("nope", "30S")))
        .isEqualTo(new Outcome.NotFound<List<GuardRail>>("line", "nope"));
    assertThat(api.check(lineFailure("a", null)))
        .isInstanceOfSatisfying(
            Outcome.Invalid.class, i -> assertThat(i.field()).isEqualTo("duration"));
    assertThat(api.check(lineFailure("a", "30S"))).isEqualTo(new Outcome.Done<>(List.of()));

    store.audit(
        new AuditEvent(
            clock.instant().minus(Duration.ofMinutes(5)), "node-1", "apply-failed", "zone=x"));
    DrillRequest crash =
        new DrillRequest(
            DrillKind.LEADER_CRASH,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false);

    assertThat(api.check(crash))
        .isInstanceOfSatisfying(
            Outcome.Done.class,
            d ->
                assertThat((List<?>) d.value())
                    .extracting(g -> ((GuardRail) g).rule())
                    .containsExactly("members", "leader-crash-disabled", "alarm"));
    assertThat(drills.drills()).isEmpty();
    assertThat(drills.events()).isEmpty();
  }

  @Test
  void abortIsWrittenOnceAndRefusedForAnUnknownOrEndedDrill() throws Exception {
    Drill d = ((DrillStart.Started) api.start(lineFailure("a", "30S"), ALICE)).drill();

    assertThat(api.abort("nope", ALICE)).isEqualTo(new Outcome.NotFound<>("drill", "nope"));
    Outcome<Drill> aborted = api.abort(d.id(), ALICE);
    assertThat(((Outcome.Done<Drill>) aborted).value().abortedBy()).contains("alice");
    assertThat(api.abort(d.id(), new Caller("bob", "192.0.2.11")))
        .isInstanceOfSatisfying(
            Outcome.Done.class,
            done -> assertThat(((Drill) done.value()).abortedBy()).contains("alice"));
    assertThat(drills.events())
        .extracting(AuditEvent::type)
        .containsExactly("drill-started", "drill-abort");

    var v = drills.drills().get(d.id());
    drills.advance(store.currentEpoch(), v.value().ended(clock.instant()), v.version(), null);
    assertThat(api.abort(d.id(), ALICE)).isInstanceOf(Outcome.Conflict.class);
    assertThat(api.list()).extracting(Drill::id).containsExactly(d.id());
    assertThat(api.get(d.id())).isInstanceOf(Outcome.Done.class);
  }

  @Test
  void aLineUnderDrillCannotBeOverriddenUntilTheDrillEnds() throws Exception {
    OperatorApi operator =
        new OperatorApi(
            OperatorApiTest.config(),
            intents,
            store,
            Optional::empty,
            new AuditReader(store, 1000),
            (condition, timeout) -> condition.getAsBoolean(),
            clock,
            line -> DrillApi.failing(drills, line));
    Drill d = ((DrillStart.Started) api.start(lineFailure("a", "30S"), ALICE)).drill();

    assertThat(operator.drain("a", Duration.ofMinutes(5), "maintenance", ALICE))
        .isInstanceOfSatisfying(
            Outcome.Conflict.class, c -> assertThat(c.why()).contains("under drill " + d.id()));
    assertThat(intents.overrides()).isEmpty();

    var v = drills.drills().get(d.id());
    drills.advance(store.currentEpoch(), v.value().ended(clock.instant()), v.version(), null);
    assertThat(operator.drain("a", Duration.ofMinutes(5), "maintenance", ALICE))
        .isInstanceOf(Outcome.Done.class);
  }

  @Test
  void anAbortThatLosesToTheLeadersWriteIsTriedAgainOnTheNewerVersion() {
    Drill d = ((DrillStart.Started) api.start(lineFailure("a", "30S"), ALICE)).drill();
    drills.raceNextUpdate(
        () -> {
          var v = drills.drills().get(d.id());
          try {
            drills.advance(
                store.currentEpoch(),
                v.value().advanced(Drill.Phase.INJECTED, Drill.Step.INJECTED, clock.instant()),
                v.version(),
                null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });

    Outcome<Drill> out = api.abort(d.id(), ALICE);

    assertThat(out).isInstanceOf(Outcome.Done.class);
    Drill now = drills.drills().get(d.id()).value();
    assertThat(now.abortedBy()).contains("alice");
    assertThat(now.phase()).isEqualTo(Drill.Phase.INJECTED);
  }
}
