package io.haddns.probe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.probe.Health;
import io.haddns.probe.ProbeResult;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {

  private static HealthTracker rounds(HealthTracker t, boolean... results) {
    for (boolean r : results) {
      t = t.afterRound(r);
    }
    return t;
  }

  @Test
  void startsUnknownAndStaysUnknownBelowBothThresholds() {
    HealthTracker t = HealthTracker.starting(Health.UNKNOWN, 3, 2);
    assertThat(rounds(t, true).health()).isEqualTo(Health.UNKNOWN);
    assertThat(rounds(t, false, false).health()).isEqualTo(Health.UNKNOWN);
  }

  @Test
  void marksUpAfterRiseSuccessfulRoundsFromUnknown() {
    HealthTracker t = HealthTracker.starting(Health.UNKNOWN, 3, 2);
    assertThat(rounds(t, true, true).health()).isEqualTo(Health.UP);
  }

  @Test
  void marksDownAfterFallFailedRoundsFromUnknown() {
    HealthTracker t = HealthTracker.starting(Health.UNKNOWN, 3, 2);
    assertThat(rounds(t, false, false, false).health()).isEqualTo(Health.DOWN);
  }

  @Test
  void firstDecisionFromUnknownFollowsWhicheverThresholdIsReachedFirst() {
    assertThat(rounds(HealthTracker.starting(Health.UNKNOWN, 1, 5), false).health())
        .isEqualTo(Health.DOWN);
    assertThat(rounds(HealthTracker.starting(Health.UNKNOWN, 5, 1), true).health())
        .isEqualTo(Health.UP);
  }

  @Test
  void marksDownAfterThreeFailedRoundsFromUp() {
    HealthTracker up = HealthTracker.starting(Health.UP, 3, 2);
    assertThat(rounds(up, false, false).health()).isEqualTo(Health.UP);
    assertThat(rounds(up, false, false, false).health()).isEqualTo(Health.DOWN);
  }

  @Test
  void isChangingOnlyBetweenTheFirstRoundAgainstItsHealthAndTheThreshold() {
    HealthTracker up = HealthTracker.starting(Health.UP, 3, 2);
    assertThat(up.changing()).isFalse();
    assertThat(rounds(up, true).changing()).isFalse();
    assertThat(rounds(up, false).changing()).isTrue();
    assertThat(rounds(up, false, false).changing()).isTrue();
    assertThat(rounds(up, false, false, false).changing()).isFalse();
    assertThat(rounds(up, false, true).changing()).isFalse();

    HealthTracker down = HealthTracker.starting(Health.DOWN, 3, 2);
    assertThat(rounds(down, false).changing()).isFalse();
    assertThat(rounds(down, true).changing()).isTrue();
    assertThat(rounds(down, true, true).changing()).isFalse();

    HealthTracker unknown = HealthTracker.starting(Health.UNKNOWN, 3, 2);
    assertThat(unknown.changing()).isFalse();
    assertThat(rounds(unknown, true).changing()).isTrue();
    assertThat(rounds(unknown, false).changing()).isTrue();
  }

  @Test
  void aSingleRoundThresholdNeverLeavesTheHealthChanging() {
    HealthTracker t = HealthTracker.starting(Health.UP, 1, 1);
    assertThat(rounds(t, false).changing()).isFalse();
    assertThat(rounds(t, false, true).changing()).isFalse();
  }

  @Test
  void marksUpAfterRiseSuccessfulRoundsFromDown() {
    HealthTracker down = HealthTracker.starting(Health.DOWN, 3, 2);
    assertThat(rounds(down, true).health()).isEqualTo(Health.DOWN);
    assertThat(rounds(down, true, true).health()).isEqualTo(Health.UP);
  }

  @Test
  void aSuccessfulRoundInAFailingStreakResetsTheFallCounter() {
    HealthTracker up = HealthTracker.starting(Health.UP, 3, 2);
    HealthTracker flapping = rounds(up, false, false, true, false, false);
    assertThat(flapping.health()).isEqualTo(Health.UP);
    assertThat(flapping.failures()).isEqualTo(2);
    assertThat(rounds(flapping, false).health()).isEqualTo(Health.DOWN);
  }

  @Test
  void aFailedRoundInARisingStreakResetsTheRiseCounter() {
    HealthTracker down = HealthTracker.starting(Health.DOWN, 3, 3);
    HealthTracker flapping = rounds(down, true, true, false, true, true);
    assertThat(flapping.health()).isEqualTo(Health.DOWN);
    assertThat(rounds(flapping, true).health()).isEqualTo(Health.UP);
  }

  @Test
  void aFlappingLineNeverLeavesUnknown() {
    HealthTracker t = HealthTracker.starting(Health.UNKNOWN, 2, 2);
    assertThat(rounds(t, true, false, true, false, true, false).health()).isEqualTo(Health.UNKNOWN);
  }

  @Test
  void seededHealthIsKeptUntilTheOppositeThresholdIsReached() {
    HealthTracker seededDown = HealthTracker.starting(Health.DOWN, 3, 2);
    assertThat(rounds(seededDown, false, false, false, false).health()).isEqualTo(Health.DOWN);
    HealthTracker seededUp = HealthTracker.starting(Health.UP, 3, 2);
    assertThat(rounds(seededUp, true, true, true).health()).isEqualTo(Health.UP);
    assertThat(seededUp.failures()).isZero();
    assertThat(seededUp.successes()).isZero();
  }

  @Test
  void neverMutatesItself() {
    HealthTracker t = HealthTracker.starting(Health.UNKNOWN, 1, 1);
    t.afterRound(true);
    assertThat(t.health()).isEqualTo(Health.UNKNOWN);
  }

  @Test
  void changingThresholdsKeepsHealthAndClampsStreaks() {
    HealthTracker t = rounds(HealthTracker.starting(Health.UP, 5, 2), false, false, false);
    HealthTracker lowered = t.withThresholds(3, 2);
    assertThat(lowered.health()).isEqualTo(Health.UP);
    assertThat(lowered.afterRound(false).health()).isEqualTo(Health.DOWN);
  }

  @Test
  void rejectsThresholdsBelowOne() {
    assertThatThrownBy(() -> HealthTracker.starting(Health.UNKNOWN, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fall and rise");
  }

  @Test
  void inconclusiveRoundKeepsHealthAndBothStreaks() {
    RoundVerdict fault =
        new RoundVerdict.Inconclusive(ProbeResult.FaultKind.DESCRIPTORS, "Too many open files");
    HealthTracker failing = rounds(HealthTracker.starting(Health.UP, 3, 2), false, false);
    HealthTracker rising = rounds(HealthTracker.starting(Health.DOWN, 3, 2), true);

    assertThat(failing.afterRound(fault)).isEqualTo(failing);
    assertThat(rising.afterRound(fault)).isEqualTo(rising);
    assertThat(failing.afterRound(fault).afterRound(fault).afterRound(false).health())
        .isEqualTo(Health.DOWN);
    assertThat(rising.afterRound(fault).afterRound(true).health()).isEqualTo(Health.UP);
  }
}
