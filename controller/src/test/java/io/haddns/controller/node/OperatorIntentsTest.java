package io.haddns.controller.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.plan.LineState;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.Versioned;
import io.haddns.controller.store.ZonePause;
import io.haddns.controller.testing.InMemoryIntentStore;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.controller.testing.SettableClock;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperatorIntentsTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final InMemoryIntentStore intents = new InMemoryIntentStore(store);
  private final ManualTimers timers = new ManualTimers();
  private final List<String> reconciles = new ArrayList<>();
  private final List<String> resyncs = new ArrayList<>();
  private final List<Long> termsLost = new ArrayList<>();
  private OperatorIntents operator;
  private Map<String, LineState> probed;

  @BeforeEach
  void setUp() throws Exception {
    operator =
        new OperatorIntents(
            intents,
            "node-1",
            clock,
            timers,
            reconciles::add,
            (zone, why) -> resyncs.add(zone),
            Runnable::run,
            termsLost::add);
    probed =
        Map.of(
            "a", new LineState("a", Health.UP, List.of(InetAddress.getByName("192.0.2.1"))),
            "b", new LineState("b", Health.DOWN, List.of(InetAddress.getByName("198.51.100.1"))));
  }

  private void override(String line, LineOverride.Forced forced, Duration lasting)
      throws Exception {
    Versioned<LineOverride> before = intents.overrides().get(line);
    intents.putOverride(
        new LineOverride(
            line,
            forced,
            "test",
            "alice",
            clock.instant(),
            Optional.ofNullable(lasting).map(clock.instant()::plus)),
        before == null ? Versioned.ABSENT : before.version(),
        new AuditEvent(clock.instant(), "node-2", "override-set", "line=" + line));
  }

  @Test
  void overriddenLinesCountAsForcedWhateverTheirProbesSayUntilTheyExpire() throws Exception {
    override("a", LineOverride.Forced.DOWN, Duration.ofMinutes(30));
    override("b", LineOverride.Forced.UP, null);

    Map<String, LineState> seen = operator.overlay(probed);
    assertThat(seen.get("a").health()).isEqualTo(Health.DOWN);
    assertThat(seen.get("a").addresses()).isEqualTo(probed.get("a").addresses());
    assertThat(seen.get("b").health()).isEqualTo(Health.UP);

    clock.advance(Duration.ofMinutes(30));
    assertThat(operator.overlay(probed).get("a").health()).isEqualTo(Health.UP);
    assertThat(operator.overlay(probed).get("b").health()).isEqualTo(Health.UP);
  }

  @Test
  void leaderReconcilesAtOnceWhenOverridesChangeAndReadsBackAResumedZone() throws Exception {
    long epoch = store.beginTerm("/l");
    operator.changed(epoch);
    assertThat(reconciles).isEmpty();

    override("a", LineOverride.Forced.DOWN, null);
    operator.changed(epoch);
    assertThat(reconciles).containsExactly("override");

    intents.putPause(
        new ZonePause("example.com", "migration", "bob", clock.instant()),
        Versioned.ABSENT,
        new AuditEvent(clock.instant(), "node-2", "zone-paused", "zone=example.com"));
    operator.changed(epoch);
    assertThat(resyncs).isEmpty();
    intents.removePause(
        "example.com", 0, new AuditEvent(clock.instant(), "node-2", "zone-resumed", ""));
    operator.changed(epoch);
    assertThat(resyncs).containsExactly("example.com");
    assertThat(reconciles).containsExactly("override");
  }

  @Test
  void followerNeitherReconcilesNorSetsExpiryTimers() throws Exception {
    override("a", LineOverride.Forced.DOWN, Duration.ofMinutes(5));
    operator.changed(0);
    assertThat(reconciles).isEmpty();
    assertThat(timers.live()).isEmpty();
  }

  @Test
  void expiryTimerIsSetForTheEarliestOverrideAndRemovesItFencedWithAnAuditEvent() throws Exception {
    long epoch = store.beginTerm("/l");
    override("a", LineOverride.Forced.DOWN, Duration.ofMinutes(30));
    override("b", LineOverride.Forced.UP, Duration.ofMinutes(10));
    operator.changed(epoch);

    assertThat(timers.live())
        .singleElement()
        .satisfies(t -> assertThat(t.delay()).isEqualTo(Duration.ofMinutes(10)));

    clock.advance(Duration.ofMinutes(10));
    timers.fireAll();

    assertThat(intents.overrides()).containsOnlyKeys("a");
    assertThat(store.recentAudit(1).getFirst().type()).isEqualTo("override-expired");
    assertThat(store.recentAudit(1).getFirst().detail()).contains("line=b", "set-by=alice");
    assertThat(reconciles).containsExactly("override expired");
    operator.changed(epoch);
    assertThat(timers.live())
        .singleElement()
        .satisfies(t -> assertThat(t.delay()).isEqualTo(Duration.ofMinutes(20)));
  }

  /**
   * A timer that fires a little before the override's time (the timer rounds its delay down to
   * whole milliseconds and runs on the monotonic clock, the override's time is wall-clock) finds
   * nothing due yet: it must set itself again, or the override would stay until the next resync.
   */
  @Test
  void expiryTimerThatFiresEarlySetsItselfAgainAndExpiresTheOverrideOnTime() throws Exception {
    long epoch = store.beginTerm("/l");
    override("a", LineOverride.Forced.DOWN, Duration.ofSeconds(12));
    operator.changed(epoch);

    clock.advance(Duration.ofSeconds(12).minusNanos(400_000));
    timers.fireAll();

    assertThat(intents.overrides()).containsKey("a");
    assertThat(timers.live())
        .singleElement()
        .satisfies(t -> assertThat(t.delay()).isEqualTo(Duration.ofNanos(400_000)));
    clock.advance(Duration.ofNanos(400_000));
    timers.fireAll();
    assertThat(intents.overrides()).isEmpty();
    assertThat(reconciles).containsExactly("override expired");
  }

  @Test
  void expiryOfAnEndedTermIsRefusedAndReportedAsTermLost() throws Exception {
    long epoch = store.beginTerm("/l");
    override("a", LineOverride.Forced.DOWN, Duration.ofMinutes(1));
    operator.changed(epoch);
    store.beginTerm("/l2");
    clock.advance(Duration.ofMinutes(2));

    operator.expireDue(epoch);

    assertThat(intents.overrides()).containsKey("a");
    assertThat(termsLost).containsExactly(epoch);
  }

  @Test
  void expiryTimerThatFiresEarlyWaitsAgainForTheRestAndStillRemovesTheOverride() throws Exception {
    long epoch = store.beginTerm("/l");
    override("a", LineOverride.Forced.DOWN, Duration.ofMinutes(10));
    operator.changed(epoch);

    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    timers.fireAll();

    assertThat(intents.overrides()).containsKey("a");
    assertThat(timers.live())
        .singleElement()
        .satisfies(t -> assertThat(t.delay()).isEqualTo(Duration.ofMillis(1)));
    clock.advance(Duration.ofMillis(1));
    timers.fireAll();
    assertThat(intents.overrides()).isEmpty();
    assertThat(reconciles).containsExactly("override expired");
  }

  @Test
  void expiryTimerOfATermThisNodeNoLongerLeadsDoesNothing() throws Exception {
    long epoch = store.beginTerm("/l");
    override("a", LineOverride.Forced.DOWN, Duration.ofMinutes(1));
    operator.changed(epoch);
    operator.changed(0);
    clock.advance(Duration.ofMinutes(2));

    operator.expireDue(epoch);

    assertThat(intents.overrides()).containsKey("a");
    assertThat(termsLost).isEmpty();
    assertThat(timers.live()).isEmpty();
  }
}
