package io.haddns.probe.engine;

import io.haddns.probe.Health;
import java.util.Objects;

/**
 * Rise/fall hysteresis for one line, as an immutable value: {@link #afterRound} returns the next
 * state and never mutates this one.
 *
 * <p>Rules: {@code fall} failed rounds in a row make the line {@link Health#DOWN}; {@code rise}
 * successful rounds in a row make it {@link Health#UP}. A round that breaks a streak resets the
 * other counter, so a flapping line keeps its current health. From {@link Health#UNKNOWN} the first
 * decision is whichever threshold is reached first. A tracker seeded with a known health starts
 * with empty streaks. An {@link RoundVerdict.Inconclusive} round (a prober fault) is as if it had
 * not happened: it neither extends nor breaks a streak, so a prober that cannot probe never moves a
 * line, and the rounds around the fault still count as consecutive.
 */
public record HealthTracker(Health health, int fall, int rise, int failures, int successes) {

  public HealthTracker {
    Objects.requireNonNull(health, "health");
    if (fall < 1 || rise < 1) {
      throw new IllegalArgumentException("fall and rise must be >= 1, were " + fall + "/" + rise);
    }
    if (failures < 0 || successes < 0 || (failures > 0 && successes > 0)) {
      throw new IllegalArgumentException(
          "streaks must be non-negative and exclusive, were " + failures + "/" + successes);
    }
  }

  /** A tracker starting at {@code initial} with no streak. */
  public static HealthTracker starting(Health initial, int fall, int rise) {
    return new HealthTracker(initial, fall, rise, 0, 0);
  }

  /** The state after one more round with {@code verdict}. */
  public HealthTracker afterRound(RoundVerdict verdict) {
    return switch (verdict) {
      case RoundVerdict.Passed p -> afterRound(true);
      case RoundVerdict.Failed f -> afterRound(false);
      case RoundVerdict.Inconclusive i -> this;
    };
  }

  /** The state after one more conclusive round. */
  public HealthTracker afterRound(boolean success) {
    if (success) {
      int streak = Math.min(successes + 1, rise);
      Health next = streak >= rise ? Health.UP : health;
      return new HealthTracker(next, fall, rise, 0, streak);
    }
    int streak = Math.min(failures + 1, fall);
    Health next = streak >= fall ? Health.DOWN : health;
    return new HealthTracker(next, fall, rise, streak, 0);
  }

  /**
   * True while the health is changing: a streak against it has begun and not yet reached its
   * threshold (some failed rounds of an up or unknown line, fewer than {@code fall}; some
   * successful rounds of a down or unknown line, fewer than {@code rise}).
   */
  public boolean changing() {
    return (health != Health.DOWN && failures > 0 && failures < fall)
        || (health != Health.UP && successes > 0 && successes < rise);
  }

  /** Same health and streaks, new thresholds (a config change is not a reset). */
  public HealthTracker withThresholds(int newFall, int newRise) {
    return new HealthTracker(
        health, newFall, newRise, Math.min(failures, newFall), Math.min(successes, newRise));
  }
}
