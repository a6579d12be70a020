package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.probe.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThrottledListenerTest {
  private static final Duration PERIOD = Duration.ofMillis(100);
  private final ManualScheduler scheduler =
      new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<Set<StoreView>> calls = new ArrayList<>();
  private final ThrottledListener throttled =
      new ThrottledListener(v -> calls.add(EnumSet.copyOf(v)), scheduler, PERIOD);

  @Test
  void thousandsOfChangesWithinAPeriodReachTheListenerAsOneCall() {
    for (int i = 0; i < 5_000; i++) {
      throttled.changed(Set.of(StoreView.HEALTH));
    }
    throttled.changed(Set.of(StoreView.APPLIED));

    scheduler.advance(PERIOD.minusMillis(1));
    assertThat(calls).isEmpty();
    scheduler.advance(Duration.ofMillis(1));
    assertThat(calls).containsExactly(EnumSet.of(StoreView.HEALTH, StoreView.APPLIED));
  }

  @Test
  void aSteadyStreamOfChangesIsPassedOnOncePerPeriod() {
    for (int ms = 0; ms < 1_000; ms++) {
      throttled.changed(Set.of(StoreView.HEALTH));
      scheduler.advance(Duration.ofMillis(1));
    }

    assertThat(calls).hasSize(10).allSatisfy(v -> assertThat(v).containsExactly(StoreView.HEALTH));
  }

  @Test
  void aChangeSeenWhileTheListenerRunsIsPassedOnInTheNextPeriod() {
    List<Set<StoreView>> seen = new ArrayList<>();
    ThrottledListener[] self = new ThrottledListener[1];
    self[0] =
        new ThrottledListener(
            v -> {
              seen.add(EnumSet.copyOf(v));
              if (seen.size() == 1) {
                self[0].changed(Set.of(StoreView.MEMBERS));
              }
            },
            scheduler,
            PERIOD);
    self[0].changed(Set.of(StoreView.HEALTH));

    scheduler.advance(PERIOD);
    assertThat(seen).containsExactly(EnumSet.of(StoreView.HEALTH));
    scheduler.advance(PERIOD);
    assertThat(seen).containsExactly(EnumSet.of(StoreView.HEALTH), EnumSet.of(StoreView.MEMBERS));
    scheduler.advance(PERIOD.multipliedBy(5));
    assertThat(seen).hasSize(2);
  }

  @Test
  void nothingChangedSchedulesNothing() {
    throttled.changed(Set.of());

    assertThat(scheduler.scheduledTasks()).isZero();
  }

  @Test
  void refusesAPeriodThatIsNotPositive() {
    assertThatThrownBy(() -> new ThrottledListener(v -> {}, scheduler, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
