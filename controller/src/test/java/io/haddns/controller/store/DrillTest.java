package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.Drill.Phase;
import io.haddns.controller.store.Drill.RecordTiming;
import io.haddns.controller.store.Drill.Step;
import io.haddns.controller.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrillTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));

  private Drill lineDrill(Duration objective) {
    return Drill.requested(
        "d-1",
        DrillKind.LINE_FAILURE,
        Optional.of("a"),
        Optional.empty(),
        Optional.of(Duration.ofSeconds(30)),
        objective,
        false,
        "alice",
        clock.instant());
  }

  private static RecordTiming record(String name) {
    return new RecordTiming(
        name, "example.com", List.of("192.0.2.1"), Optional.empty(), Optional.empty());
  }

  /** Runs a line drill whose two records become visible 800 ms and 1.5 s after the injection. */
  private Drill run(Duration objective) {
    Drill d = lineDrill(objective);
    clock.advance(Duration.ofMillis(40));
    d =
        d.advanced(Phase.INJECTED, Step.INJECTED, clock.instant())
            .withEpoch(3)
            .withRecords(List.of(record("app.example.com/A"), record("www.example.com/A")));
    Instant injected = clock.instant();
    d = d.stamped(Step.DETECTED, injected.plusMillis(5));
    d = d.stamped(Step.DECIDED, injected.plusMillis(10));
    d = d.stamped(Step.WRITTEN, injected.plusMillis(30));
    d =
        d.withRecords(
            List.of(
                d.records().get(0).withVisible(injected.plusMillis(800)),
                d.records().get(1).withVisible(injected.plusMillis(1500))));
    clock.advance(Duration.ofSeconds(30));
    d = d.advanced(Phase.RESTORED, Step.RESTORED, clock.instant());
    clock.advance(Duration.ofMillis(700));
    d = d.withRecords(d.records().stream().map(r -> r.withBack(clock.instant())).toList());
    return d.stamped(Step.BACK_VISIBLE, clock.instant());
  }

  @Test
  void recoveryTimePerRecordRunsFromTheInjectionToVisibleEverywhere() {
    Drill d = run(Duration.ofSeconds(2));

    assertThat(d.recoveryTimes())
        .containsEntry("app.example.com/A", Duration.ofMillis(800))
        .containsEntry("www.example.com/A", Duration.ofMillis(1500));
    assertThat(d.recoveryTime()).contains(Duration.ofMillis(1500));
  }

  @Test
  void passesWithinTheObjectiveAndFailsNamingEachSlowRecord() {
    Drill passed = run(Duration.ofSeconds(2)).ended(clock.instant());
    Instant passedEnded = clock.instant();
    Drill failed = run(Duration.ofSeconds(1)).ended(clock.instant());

    assertThat(passed.verdict()).contains(Drill.Verdict.PASSED);
    assertThat(passed.notes()).isEmpty();
    assertThat(passed.at(Step.ENDED)).contains(passedEnded);
    assertThat(failed.verdict()).contains(Drill.Verdict.FAILED);
    assertThat(failed.notes())
        .singleElement()
        .satisfies(n -> assertThat(n).contains("www.example.com/A", "1500 ms", "1000 ms"));
  }

  @Test
  void aRecordThatNeverMovedOrNeverCameBackFailsTheDrill() {
    Drill d = lineDrill(Duration.ofSeconds(2));
    d =
        d.advanced(Phase.INJECTED, Step.INJECTED, clock.instant())
            .withRecords(List.of(record("app.example.com/A")));

    Drill report = d.ended(clock.instant());

    assertThat(report.verdict()).contains(Drill.Verdict.FAILED);
    assertThat(report.recoveryTime()).isEmpty();
    assertThat(report.notes())
        .anySatisfy(n -> assertThat(n).contains("never moved off line a"))
        .anySatisfy(n -> assertThat(n).contains("did not come back"));
  }

  @Test
  void theFailureIsInForceOnlyWhileInjectedNotAbortedAndWithinItsDuration() {
    Drill requested = lineDrill(Duration.ofSeconds(2));
    assertThat(requested.failingAt(clock.instant())).isFalse();

    Drill injected = requested.advanced(Phase.INJECTED, Step.INJECTED, clock.instant());
    assertThat(injected.failingAt(clock.instant())).isTrue();
    assertThat(injected.failingAt(clock.instant().plusSeconds(29))).isTrue();
    assertThat(injected.failingAt(clock.instant().plusSeconds(30))).isFalse();
    assertThat(injected.withAbort("bob").failingAt(clock.instant())).isFalse();
    assertThat(
            injected
                .advanced(Phase.RESTORED, Step.RESTORED, clock.instant())
                .failingAt(clock.instant()))
        .isFalse();
  }

  @Test
  void anAbortedDrillIsJudgedAbortedWhateverItMeasured() {
    Drill d = run(Duration.ofSeconds(2)).withAbort("bob").ended(clock.instant());

    assertThat(d.verdict()).contains(Drill.Verdict.ABORTED);
    assertThat(d.notes()).contains("aborted by bob");
  }

  @Test
  void aLeaderDrillMeasuresTheInjectionToTheNextTerm() {
    Drill d =
        Drill.requested(
                "d-2",
                DrillKind.LEADER_FAILOVER,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Duration.ofSeconds(5),
                false,
                "alice",
                clock.instant())
            .advanced(Phase.INJECTED, Step.INJECTED, clock.instant());
    clock.advance(Duration.ofMillis(1200));

    Drill report = d.stamped(Step.DETECTED, clock.instant()).ended(clock.instant());

    assertThat(report.recoveryTime()).contains(Duration.ofMillis(1200));
    assertThat(report.verdict()).contains(Drill.Verdict.PASSED);
  }

  @Test
  void codecKeepsEveryField() {
    Drill d = run(Duration.ofSeconds(2)).withAbort("bob").withNote("n1").ended(clock.instant());
    DrillCodec codec = new DrillCodec();

    assertThat(codec.decode(codec.encode(d))).isEqualTo(d);
  }
}
