package io.haddns.controller.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.DrillsConfig;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PracticeDrillsTest {
  private static final DrillsConfig.Practice NIGHTLY =
      new DrillsConfig.Practice(
          "nightly-telecom",
          "line-failure",
          Optional.of("telecom"),
          Optional.empty(),
          Optional.of(Duration.ofSeconds(30)),
          Optional.empty(),
          Duration.ofHours(24),
          List.of(DrillsConfig.Window.parse("02:00-04:00").orElseThrow()));

  private static Drill startedBy(String by, Instant at) {
    return Drill.requested(
        "d-" + at.toEpochMilli(),
        DrillKind.LINE_FAILURE,
        Optional.of("telecom"),
        Optional.empty(),
        Optional.of(Duration.ofSeconds(30)),
        Duration.ofSeconds(5),
        false,
        by,
        at);
  }

  @Test
  void aPracticeDrillIsDueInsideItsWindowOnceEveryInterval() {
    Instant inWindow = Instant.parse("2026-03-02T02:30:00Z");
    Instant outside = Instant.parse("2026-03-02T12:00:00Z");

    assertThat(PracticeDrills.due(List.of(NIGHTLY), List.of(), inWindow)).containsExactly(NIGHTLY);
    assertThat(PracticeDrills.due(List.of(NIGHTLY), List.of(), outside)).isEmpty();

    List<Drill> ranLastNight =
        List.of(startedBy("practice:nightly-telecom", Instant.parse("2026-03-01T02:10:00Z")));
    assertThat(PracticeDrills.due(List.of(NIGHTLY), ranLastNight, inWindow))
        .containsExactly(NIGHTLY);
    List<Drill> ranTonight =
        List.of(startedBy("practice:nightly-telecom", Instant.parse("2026-03-02T02:05:00Z")));
    assertThat(PracticeDrills.due(List.of(NIGHTLY), ranTonight, inWindow)).isEmpty();
  }

  @Test
  void aManualDrillDoesNotCountAsThePracticeRun() {
    Instant inWindow = Instant.parse("2026-03-02T02:30:00Z");
    List<Drill> manual = List.of(startedBy("alice", Instant.parse("2026-03-02T02:05:00Z")));

    assertThat(PracticeDrills.due(List.of(NIGHTLY), manual, inWindow)).containsExactly(NIGHTLY);
  }
}
