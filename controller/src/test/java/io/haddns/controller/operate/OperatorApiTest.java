package io.haddns.controller.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.ClusterConfig;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineAddress;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.ZoneConfig;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.IntentConflictException;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.testing.InMemoryIntentStore;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.controller.testing.SettableClock;
import io.haddns.probe.engine.ProbeSpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperatorApiTest {
  private static final Caller ALICE = new Caller("alice", "192.0.2.10");
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final InMemoryIntentStore intents = new InMemoryIntentStore(store);
  private final AtomicReference<Optional<String>> holder = new AtomicReference<>(Optional.empty());
  private Waiter waiter = (condition, timeout) -> condition.getAsBoolean();
  private OperatorApi api;

  static HaddnsConfig config() throws Exception {
    List<ProbeSpec> tcp = List.of(new ProbeSpec.Tcp(443));
    return HaddnsConfig.builder(
            new ClusterConfig(
                "test",
                Optional.of("127.0.0.1:2181"),
                Duration.ofSeconds(6),
                Duration.ofSeconds(3),
                Path.of("/tmp"),
                Duration.ofHours(1)),
            new NodeConfig("node-1", "127.0.0.1", 0))
        .lines(
            List.of(
                new LineConfig(
                    "a",
                    new LineAddress.Static(List.of(InetAddress.getByName("192.0.2.1"))),
                    tcp,
                    Duration.ofSeconds(1),
                    Duration.ofMillis(500),
                    3,
                    2)))
        .zones(List.of(new ZoneConfig("example.com", new ProviderConfig.Embedded())))
        .records(List.of())
        .build();
  }

  @BeforeEach
  void setUp() throws Exception {
    api =
        new OperatorApi(
            config(),
            intents,
            store,
            holder::get,
            new AuditReader(store, 1000),
            (condition, timeout) -> waiter.await(condition, timeout),
            clock);
  }

  @Test
  void drainWritesAnExpiringOverrideAndAuditsWhoAndFromWhere() {
    Outcome<LineOverride> out = api.drain("a", Duration.ofMinutes(30), "ISP maintenance", ALICE);

    LineOverride o = ((Outcome.Done<LineOverride>) out).value();
    assertThat(o.forced()).isEqualTo(LineOverride.Forced.DOWN);
    assertThat(o.until()).contains(Instant.parse("2026-03-01T10:30:00Z"));
    assertThat(intents.overrides().get("a").value()).isEqualTo(o);
    AuditEvent e = store.recentAudit(1).getFirst();
    assertThat(e.type()).isEqualTo("override-set");
    assertThat(e.detail())
        .contains("line=a", "state=down", "by=alice", "source=192.0.2.10", "ISP maintenance");
  }

  @Test
  void forceUpWithoutDurationLastsUntilCleared() {
    api.forceUp("a", null, "probe target blocks us", ALICE);

    assertThat(intents.overrides().get("a").value().until()).isEmpty();
    assertThat(api.status().overrides()).extracting(LineOverride::by).containsExactly("alice");
  }

  @Test
  void unknownLineOrZoneIsNotFoundAndWritesNothing() {
    assertThat(api.drain("nope", null, "x", ALICE))
        .isEqualTo(new Outcome.NotFound<>("line", "nope"));
    assertThat(api.clear("nope", ALICE)).isEqualTo(new Outcome.NotFound<>("line", "nope"));
    assertThat(api.pause("other.org", "x", ALICE))
        .isEqualTo(new Outcome.NotFound<>("zone", "other.org"));
    assertThat(api.resume("other.org", ALICE))
        .isEqualTo(new Outcome.NotFound<>("zone", "other.org"));
    assertThat(intents.overrides()).isEmpty();
    assertThat(store.recentAudit(10)).isEmpty();
  }

  @Test
  void durationOutOfRangeOrMissingReasonIsInvalidNamingTheField() {
    assertThat(api.drain("a", Duration.ZERO, "x", ALICE))
        .isInstanceOfSatisfying(
            Outcome.Invalid.class, i -> assertThat(i.field()).isEqualTo("duration"));
    assertThat(api.drain("a", Duration.ofDays(8), "x", ALICE))
        .isInstanceOfSatisfying(
            Outcome.Invalid.class, i -> assertThat(i.field()).isEqualTo("duration"));
    assertThat(api.drain("a", Duration.ofSeconds(-1), "x", ALICE))
        .isInstanceOf(Outcome.Invalid.class);
    assertThat(api.drain("a", null, " ", ALICE))
        .isInstanceOfSatisfying(
            Outcome.Invalid.class, i -> assertThat(i.field()).isEqualTo("reason"));
    assertThat(api.pause("example.com", "bad\nreason", ALICE))
        .isInstanceOfSatisfying(
            Outcome.Invalid.class, i -> assertThat(i.field()).isEqualTo("reason"));
    assertThat(intents.overrides()).isEmpty();
    assertThat(intents.pauses()).isEmpty();
  }

  @Test
  void clearIsIdempotentAndAuditedOnlyWhenSomethingWasCleared() {
    assertThat(api.clear("a", ALICE)).isEqualTo(new Outcome.Done<>(false));
    api.drain("a", null, "maintenance", ALICE);

    assertThat(api.clear("a", ALICE)).isEqualTo(new Outcome.Done<>(true));

    assertThat(intents.overrides()).isEmpty();
    assertThat(store.recentAudit(10))
        .extracting(AuditEvent::type)
        .containsExactly("override-set", "override-cleared");
  }

  @Test
  void concurrentChangeBetweenReadAndWriteIsAConflictAndLeavesTheOtherWrite() {
    api.drain("a", null, "first", ALICE);
    LineOverride other =
        new LineOverride(
            "a", LineOverride.Forced.UP, "other", "bob", clock.instant(), Optional.empty());
    intents.raceNextWrite(() -> putQuietly(other, 0));

    assertThat(api.drain("a", null, "second", ALICE)).isInstanceOf(Outcome.Conflict.class);
    assertThat(intents.overrides().get("a").value()).isEqualTo(other);

    intents.raceNextWrite(() -> putQuietly(other, 1));
    assertThat(api.clear("a", ALICE)).isInstanceOf(Outcome.Conflict.class);
    assertThat(intents.overrides()).containsKey("a");
  }

  private void putQuietly(LineOverride o, int version) {
    try {
      intents.putOverride(o, version, event());
    } catch (IntentConflictException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void noQuorumIsUnavailableAndNothingIsHalfWritten() {
    intents.unavailable(true);

    assertThat(api.drain("a", null, "x", ALICE)).isInstanceOf(Outcome.Unavailable.class);
    assertThat(api.pause("example.com", "x", ALICE)).isInstanceOf(Outcome.Unavailable.class);

    assertThat(intents.overrides()).isEmpty();
    assertThat(intents.pauses()).isEmpty();
    assertThat(store.recentAudit(10)).isEmpty();
  }

  @Test
  void pauseAndResumeAreRecordedAndAudited() {
    api.pause("example.com", "provider migration", ALICE);
    assertThat(api.status().pauses())
        .extracting(p -> p.reason())
        .containsExactly("provider migration");

    assertThat(api.resume("example.com", ALICE)).isEqualTo(new Outcome.Done<>(true));
    assertThat(api.resume("example.com", ALICE)).isEqualTo(new Outcome.Done<>(false));
    assertThat(store.recentAudit(10))
        .extracting(AuditEvent::type)
        .containsExactly("zone-paused", "zone-resumed");
    assertThat(store.recentAudit(10).getFirst().detail()).contains("zone=example.com", "by=alice");
  }

  @Test
  void stepDownReturnsTheNewLeaderAndTheMeasuredHandOver() throws Exception {
    membersAre("node-1", "node-2", "node-3");
    long epoch = store.beginTerm("/l");
    holder.set(Optional.of("node-1"));
    waiter =
        (condition, timeout) -> {
          // The request was written; node-2 takes over 400 ms later.
          assertThat(intents.stepDown()).isPresent();
          clock.advance(Duration.ofMillis(400));
          store.beginTerm("/l2");
          holder.set(Optional.of("node-2"));
          return condition.getAsBoolean();
        };

    Outcome<StepDownResult> out = api.stepDown(Optional.empty(), ALICE);

    assertThat(out)
        .isEqualTo(
            new Outcome.Done<>(
                new StepDownResult("node-1", "node-2", epoch + 1, Duration.ofMillis(400))));
    assertThat(store.recentAudit(1).getFirst().type()).isEqualTo("step-down");
  }

  @Test
  void stepDownRefusesUnknownTargetAndLoneLeaderAndWithdrawsAfterTimeout() throws Exception {
    membersAre("node-1");
    store.beginTerm("/l");
    holder.set(Optional.of("node-1"));
    assertThat(api.stepDown(Optional.empty(), ALICE)).isInstanceOf(Outcome.Conflict.class);
    assertThat(api.stepDown(Optional.of("node-9"), ALICE))
        .isEqualTo(new Outcome.NotFound<>("node", "node-9"));
    assertThat(api.stepDown(Optional.of("node-1"), ALICE)).isInstanceOf(Outcome.Invalid.class);

    membersAre("node-1", "node-2");
    waiter = (condition, timeout) -> false;
    assertThat(api.stepDown(Optional.of("node-2"), ALICE)).isInstanceOf(Outcome.Unavailable.class);
    assertThat(intents.stepDown()).isEmpty();
  }

  @Test
  void stepDownWithoutAKnownLeaderIsUnavailable() {
    assertThat(api.stepDown(Optional.empty(), ALICE)).isInstanceOf(Outcome.Unavailable.class);
    assertThat(intents.stepDown()).isEmpty();
  }

  private void membersAre(String... nodes) {
    store.members().forEach(m -> store.removeMember(m.nodeId()));
    for (String n : nodes) {
      store.registerMember(new MemberInfo(n, "127.0.0.1:1", "test", clock.instant(), List.of()));
    }
  }

  private AuditEvent event() {
    return new AuditEvent(clock.instant(), "node-2", "override-set", "line=a");
  }
}
