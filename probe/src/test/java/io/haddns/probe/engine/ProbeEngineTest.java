package io.haddns.probe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.Health;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.testing.ManualScheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeEngineTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofMillis(400);
  private static final InetAddress A = address("198.51.100.1");
  private static final InetAddress B = address("198.51.100.2");

  private final ManualScheduler scheduler =
      new ManualScheduler(Instant.parse("2025-01-01T00:00:00Z"));
  private final FakeProber prober = new FakeProber(scheduler);
  private final List<HealthTransition> transitions = new ArrayList<>();
  private static final ProbeResult TOO_MANY_OPEN_FILES =
      new ProbeResult.Fault(
          ProbeResult.FaultKind.DESCRIPTORS, "SocketException: Too many open files");

  private final List<ProbeOutcome> outcomes = new ArrayList<>();
  private final List<RoundVerdict.Inconclusive> inconclusive = new ArrayList<>();
  private final List<Duration> lateStarts = new ArrayList<>();
  private final List<Duration> overruns = new ArrayList<>();
  // How far the engine's clock runs ahead of the scheduler: a starved engine thread.
  private Duration skew = Duration.ZERO;
  private final ProbeEngine engine =
      ProbeEngine.builder()
          .icmp(prober)
          .tcp(prober)
          .clock(() -> scheduler.instant().plus(skew))
          .scheduler(scheduler)
          .listener(transitions::add)
          .observer(
              new ProbeObserver() {
                @Override
                public void onProbe(ProbeOutcome outcome) {
                  outcomes.add(outcome);
                }

                @Override
                public void onInconclusiveRound(String line, RoundVerdict.Inconclusive verdict) {
                  inconclusive.add(verdict);
                }

                @Override
                public void onRoundStarted(String line, Duration late) {
                  lateStarts.add(late);
                }

                @Override
                public void onRoundOverran(String line, Duration overrun) {
                  overruns.add(overrun);
                }
              })
          .build();

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static LineTarget line(String name, int fall, int rise, InetAddress... addresses) {
    return new LineTarget(
        name, List.of(addresses), List.of(new ProbeSpec.Tcp(443)), INTERVAL, TIMEOUT, fall, rise);
  }

  /** A line whose probes may take ten times its 100 ms interval. */
  private static LineTarget slowLine() {
    return new LineTarget(
        "telecom",
        List.of(A),
        List.of(new ProbeSpec.Tcp(443)),
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        3,
        2);
  }

  private void startWith(LineTarget... targets) {
    engine.setTargets(List.of(targets));
    engine.start();
    scheduler.runDue();
  }

  private void rounds(int n) {
    scheduler.advance(INTERVAL.multipliedBy(n));
  }

  @Test
  void marksLineUpAfterRiseRoundsAndEmitsTheTransitionOnce() {
    startWith(line("telecom", 3, 2, A));
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UNKNOWN);

    rounds(1);
    assertThat(transitions)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.line()).isEqualTo("telecom");
              assertThat(t.from()).isEqualTo(Health.UNKNOWN);
              assertThat(t.to()).isEqualTo(Health.UP);
              assertThat(t.addresses()).containsExactly(A);
              assertThat(t.at()).isEqualTo(scheduler.instant());
            });
    rounds(10);
    assertThat(transitions).hasSize(1);
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);
  }

  @Test
  void marksLineDownAfterThreeFailedRoundsWithTheFailureAsReason() {
    prober.answer("tcp", A, FakeProber.REFUSED);
    startWith(line("telecom", 3, 2, A));
    rounds(1);
    assertThat(transitions).isEmpty();
    rounds(1);
    assertThat(transitions)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.to()).isEqualTo(Health.DOWN);
              assertThat(t.reason())
                  .contains("3 failed rounds")
                  .contains("tcp/443 198.51.100.1 refused");
            });
    assertThat(prober.calls).hasSize(3);
  }

  @Test
  void roundFailsWhenAnyProbeAgainstAnyAddressFails() {
    prober.answer("icmp", B, new ProbeResult.Failure(ProbeResult.FailureReason.TIMEOUT, ""));
    LineTarget both =
        new LineTarget(
            "telecom",
            List.of(A, B),
            List.of(new ProbeSpec.Icmp(), new ProbeSpec.Tcp(443)),
            INTERVAL,
            TIMEOUT,
            1,
            1);
    startWith(both);
    assertThat(prober.calls).hasSize(4);
    assertThat(transitions).singleElement().extracting(HealthTransition::to).isEqualTo(Health.DOWN);
    assertThat(outcomes)
        .hasSize(4)
        .filteredOn(o -> !o.result().isSuccess())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.spec().kind()).isEqualTo("icmp");
              assertThat(o.address()).isEqualTo(B);
            });
  }

  @Test
  void probesANewAddressAtOnceStartingUnknown() {
    startWith(line("telecom", 3, 2, A));
    rounds(1);
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);
    scheduler.advance(Duration.ofMillis(300));
    Instant changedAt = scheduler.instant();

    engine.setTargets(List.of(line("telecom", 3, 2, B)));
    scheduler.runDue();

    assertThat(prober.callsTo(B))
        .singleElement()
        .extracting(FakeProber.Call::at)
        .isEqualTo(changedAt);
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UNKNOWN);
    assertThat(transitions)
        .last()
        .satisfies(
            t -> {
              assertThat(t.from()).isEqualTo(Health.UP);
              assertThat(t.to()).isEqualTo(Health.UNKNOWN);
              assertThat(t.reason()).contains("addresses changed");
            });
    int callsToA = prober.callsTo(A).size();
    rounds(3);
    assertThat(prober.callsTo(A)).hasSize(callsToA);
    assertThat(transitions).last().extracting(HealthTransition::to).isEqualTo(Health.UP);
  }

  @Test
  void stopsProbingARemovedLine() {
    startWith(line("telecom", 3, 2, A), line("unicom", 3, 2, B));
    rounds(1);
    engine.setTargets(List.of(line("unicom", 3, 2, B)));
    scheduler.runDue();
    int before = prober.callsTo(A).size();

    rounds(5);

    assertThat(prober.callsTo(A)).hasSize(before);
    assertThat(prober.callsTo(B)).hasSizeGreaterThan(5);
    assertThat(engine.snapshot()).containsOnlyKeys("unicom");
  }

  @Test
  void neverRunsTwoRoundsOfOneLineAtOnce() {
    LineTarget slow = slowLine();
    prober.hold = true;
    startWith(slow);
    scheduler.advance(Duration.ofMillis(900));
    assertThat(prober.calls).hasSize(1);

    prober.calls.get(0).future().complete(FakeProber.OK);
    scheduler.runDue();

    assertThat(prober.calls).hasSize(2);
    assertThat(prober.calls.get(1).at()).isEqualTo(scheduler.instant());
  }

  @Test
  void reportsHowLateEachScheduledRoundStarted() {
    startWith(line("telecom", 3, 2, A));
    rounds(2);
    skew = Duration.ofMillis(30);
    rounds(1);

    assertThat(lateStarts)
        .containsExactly(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMillis(30));
    assertThat(overruns).isEmpty();
  }

  @Test
  void reportsARoundThatFinishedAfterItsNextRoundWasDue() {
    LineTarget slow = slowLine();
    prober.hold = true;
    startWith(slow);
    scheduler.advance(Duration.ofMillis(250));
    prober.calls.get(0).future().complete(FakeProber.OK);
    scheduler.runDue();

    assertThat(overruns).containsExactly(Duration.ofMillis(150));
    assertThat(prober.calls).hasSize(2);
  }

  @Test
  void startsEachRoundAtTheFirstWholeMillisecondOfItsDueTime() {
    InetAddress c = address("198.51.100.3");
    Instant t0 = scheduler.instant();
    // Three lines spread over 1 s are due at 0, 333.3 and 666.7 ms.
    startWith(line("a", 1, 1, A), line("b", 1, 1, B), line("c", 1, 1, c));

    scheduler.advance(Duration.ofMillis(333));
    assertThat(prober.calls).hasSize(1);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(prober.calls).hasSize(2);
    scheduler.advance(Duration.ofMillis(665));

    assertThat(prober.calls)
        .extracting(FakeProber.Call::at)
        .containsExactly(t0, t0.plusMillis(334), t0.plusMillis(667));
    assertThat(lateStarts)
        .containsExactly(Duration.ZERO, Duration.ofNanos(666_667), Duration.ofNanos(333_334));
  }

  @Test
  void roundsThatFinishTogetherAreHandledByOneTaskOnTheEngineThread() {
    prober.hold = true;
    startWith(line("telecom", 1, 1, A), line("cable", 1, 1, B));
    scheduler.advance(INTERVAL);
    assertThat(prober.calls).hasSize(2);

    prober.calls.forEach(c -> c.future().complete(FakeProber.OK));

    // Both rounds' guard timers are cancelled; one task is left, to handle both rounds.
    assertThat(scheduler.scheduledTasks()).isEqualTo(1);
    scheduler.runDue();
    assertThat(outcomes).hasSize(2);
    assertThat(engine.snapshot())
        .containsEntry("telecom", Health.UP)
        .containsEntry("cable", Health.UP);
  }

  @Test
  void givesUpOnAProberThatNeverAnswersWithoutJudgingTheLine() {
    prober.hold = true;
    startWith(line("telecom", 1, 1, A));

    scheduler.advance(TIMEOUT.plus(Round.GUARD_GRACE));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o ->
                assertThat(o.result())
                    .isEqualTo(
                        new ProbeResult.Fault(
                            ProbeResult.FaultKind.STARVED, "prober did not answer")));
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UNKNOWN);
    assertThat(inconclusive)
        .singleElement()
        .extracting(RoundVerdict.Inconclusive::kind)
        .isEqualTo(ProbeResult.FaultKind.STARVED);
  }

  @Test
  void keepsAnUpLineUpWhileTheProberHasNoDescriptorsLeft() {
    startWith(line("telecom", 3, 2, A));
    rounds(2);
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);

    prober.answer("tcp", A, TOO_MANY_OPEN_FILES);
    rounds(10);

    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);
    assertThat(transitions).hasSize(1);
    assertThat(inconclusive)
        .hasSize(10)
        .allSatisfy(
            v -> {
              assertThat(v.kind()).isEqualTo(ProbeResult.FaultKind.DESCRIPTORS);
              assertThat(v.detail()).contains("Too many open files");
            });
  }

  @Test
  void faultedRoundsNeitherCountTowardFallNorBreakTheFailureStreak() {
    startWith(line("telecom", 3, 2, A));
    rounds(2);
    prober.answer("tcp", A, FakeProber.REFUSED);
    rounds(2);
    prober.answer("tcp", A, TOO_MANY_OPEN_FILES);
    rounds(5);
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);

    prober.answer("tcp", A, FakeProber.REFUSED);
    rounds(1);

    assertThat(engine.snapshot()).containsEntry("telecom", Health.DOWN);
  }

  @Test
  void aRealFailureFailsTheRoundEvenWhenAnotherProbeFaulted() {
    prober.answer("icmp", A, TOO_MANY_OPEN_FILES);
    prober.answer("tcp", A, FakeProber.REFUSED);
    LineTarget both =
        new LineTarget(
            "telecom",
            List.of(A),
            List.of(new ProbeSpec.Icmp(), new ProbeSpec.Tcp(443)),
            INTERVAL,
            TIMEOUT,
            1,
            1);
    startWith(both);

    assertThat(engine.snapshot()).containsEntry("telecom", Health.DOWN);
    assertThat(inconclusive).isEmpty();
  }

  @Test
  void aFailedRoundThatStartedMoreThanAnIntervalLateIsInconclusive() {
    // fall 2: the late round and the catch-up round right after it would make two failures.
    startWith(line("telecom", 2, 1, A));
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);
    prober.answer("tcp", A, FakeProber.REFUSED);

    skew = INTERVAL.plusMillis(500);
    rounds(1);

    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);
    assertThat(inconclusive)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.kind()).isEqualTo(ProbeResult.FaultKind.STARVED);
              assertThat(v.detail()).contains("started 1500 ms late");
            });
  }

  @Test
  void aFailedRoundWhoseResultsAreHandledPastTheDeadlineIsInconclusive() {
    startWith(line("telecom", 1, 1, A));
    prober.hold = true;
    rounds(1);

    skew = TIMEOUT.plus(Round.GUARD_GRACE).plusMillis(1);
    prober
        .calls
        .getLast()
        .future()
        .complete(new ProbeResult.Failure(ProbeResult.FailureReason.TIMEOUT, ""));
    scheduler.runDue();

    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);
    assertThat(inconclusive)
        .singleElement()
        .extracting(RoundVerdict.Inconclusive::kind)
        .isEqualTo(ProbeResult.FaultKind.STARVED);
  }

  @Test
  void aLateRoundThatPassedStillCounts() {
    prober.answer("tcp", A, FakeProber.REFUSED);
    startWith(line("telecom", 1, 1, A));
    assertThat(engine.snapshot()).containsEntry("telecom", Health.DOWN);
    prober.answer("tcp", A, FakeProber.OK);

    skew = INTERVAL.multipliedBy(3);
    rounds(1);

    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);
  }

  @Test
  void discardsARoundForOldAddressesAndProbesTheNewOnesRightAfter() {
    prober.hold = true;
    startWith(line("telecom", 1, 1, A));
    engine.setTargets(List.of(line("telecom", 1, 1, B)));
    scheduler.runDue();
    assertThat(prober.callsTo(B)).isEmpty();

    prober.calls.get(0).future().complete(FakeProber.REFUSED);
    scheduler.runDue();

    assertThat(transitions).isEmpty();
    assertThat(prober.callsTo(B)).hasSize(1);
    prober.callsTo(B).get(0).future().complete(FakeProber.OK);
    scheduler.runDue();
    assertThat(transitions).singleElement().extracting(HealthTransition::to).isEqualTo(Health.UP);
  }

  @Test
  void leavesALineWithoutAddressesUnknownAndUnprobedUntilOneArrives() {
    startWith(line("telecom", 1, 1));
    rounds(3);
    assertThat(prober.calls).isEmpty();
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UNKNOWN);

    engine.setTargets(List.of(line("telecom", 1, 1, A)));
    scheduler.runDue();

    assertThat(prober.calls).hasSize(1);
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);
  }

  @Test
  void startsFromSeededHealthWithoutEmittingOrResetting() {
    prober.answer("tcp", A, FakeProber.REFUSED);
    engine.seed(Map.of("telecom", Health.UP));
    startWith(line("telecom", 3, 2, A));
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);

    rounds(1);
    assertThat(transitions).isEmpty();
    assertThat(engine.snapshot()).containsEntry("telecom", Health.UP);

    rounds(1);
    assertThat(transitions)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.from()).isEqualTo(Health.UP);
              assertThat(t.to()).isEqualTo(Health.DOWN);
            });
  }

  @Test
  void seedingARunningLineReplacesItsHealthSilently() {
    startWith(line("telecom", 3, 2, A));
    rounds(1);
    engine.seed(Map.of("telecom", Health.DOWN));
    scheduler.runDue();
    assertThat(engine.snapshot()).containsEntry("telecom", Health.DOWN);
    assertThat(transitions).hasSize(1);
  }

  @Test
  void spreadsTheFirstRoundsOfLinesOverTheInterval() {
    Instant t0 = scheduler.instant();
    List<InetAddress> addresses = new ArrayList<>();
    List<LineTarget> targets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      addresses.add(address("198.51.100." + (10 + i)));
      targets.add(line("line-" + i, 3, 2, addresses.get(i)));
    }
    startWith(targets.toArray(LineTarget[]::new));
    scheduler.advance(Duration.ofMillis(999));

    assertThat(prober.calls)
        .extracting(c -> Duration.between(t0, c.at()).toMillis())
        .containsExactly(0L, 250L, 500L, 750L);
  }

  @Test
  void probesNothingBeforeStartAndNothingAfterClose() {
    engine.setTargets(List.of(line("telecom", 3, 2, A)));
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(prober.calls).isEmpty();

    engine.start();
    scheduler.runDue();
    assertThat(prober.calls).hasSize(1);
    engine.close();
    rounds(5);
    assertThat(prober.calls).hasSize(1);
  }

  @Test
  void probesALineWhoseHealthIsChangingAtItsFastIntervalUntilItIsDecided() {
    Duration fast = Duration.ofMillis(400);
    LineTarget target =
        new LineTarget(
            "telecom", List.of(A), List.of(new ProbeSpec.Tcp(443)), INTERVAL, fast, TIMEOUT, 3, 2);
    engine.seed(Map.of("telecom", Health.UP));
    startWith(target);
    rounds(2);
    prober.answer("tcp", A, FakeProber.REFUSED);
    int before = prober.calls.size();
    Instant firstFailure = prober.calls.get(before - 1).at().plus(INTERVAL);
    scheduler.advance(INTERVAL);
    scheduler.advance(fast.multipliedBy(2));
    assertThat(prober.calls.subList(before, prober.calls.size()))
        .extracting(FakeProber.Call::at)
        .containsExactly(firstFailure, firstFailure.plus(fast), firstFailure.plus(fast).plus(fast));
    assertThat(transitions)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.to()).isEqualTo(Health.DOWN);
              assertThat(t.at()).isEqualTo(firstFailure.plus(fast).plus(fast));
            });

    // Decided: back to the interval while it stays down.
    int down = prober.calls.size();
    rounds(2);
    assertThat(prober.calls.subList(down, prober.calls.size()))
        .extracting(FakeProber.Call::at)
        .containsExactly(
            firstFailure.plus(fast).plus(fast).plus(INTERVAL),
            firstFailure.plus(fast).plus(fast).plus(INTERVAL).plus(INTERVAL));
    assertThat(overruns).isEmpty();
  }

  @Test
  void aLineWithoutAFastIntervalKeepsItsIntervalWhileItsHealthChanges() {
    engine.seed(Map.of("telecom", Health.UP));
    startWith(line("telecom", 3, 2, A));
    prober.answer("tcp", A, FakeProber.REFUSED);
    int before = prober.calls.size();
    rounds(3);
    List<Instant> starts =
        prober.calls.subList(before, prober.calls.size()).stream()
            .map(FakeProber.Call::at)
            .toList();
    assertThat(starts).hasSize(3);
    assertThat(Duration.between(starts.get(0), starts.get(1))).isEqualTo(INTERVAL);
    assertThat(Duration.between(starts.get(1), starts.get(2))).isEqualTo(INTERVAL);
  }

  @Test
  void keepsProbingWhenTheListenerThrows() {
    ProbeEngine throwing =
        ProbeEngine.builder()
            .tcp(prober)
            .clock(scheduler)
            .scheduler(scheduler)
            .listener(
                t -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();
    throwing.setTargets(List.of(line("telecom", 1, 1, A)));
    throwing.start();
    scheduler.runDue();
    prober.answer("tcp", A, FakeProber.REFUSED);
    rounds(1);
    assertThat(throwing.snapshot()).containsEntry("telecom", Health.DOWN);
    throwing.close();
  }
}
