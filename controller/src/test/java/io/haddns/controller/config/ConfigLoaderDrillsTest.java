package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.BASE;
import static io.haddns.controller.config.ConfigTesting.at;
import static io.haddns.controller.config.ConfigTesting.loader;
import static io.haddns.controller.config.ConfigTesting.parse;
import static io.haddns.controller.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderDrillsTest {

  @Test
  void readsTheDrillsSectionAndDefaultsItWhenLeftOut() throws Exception {
    assertThat(parse(loader(), BASE).drills()).isEqualTo(DrillsConfig.defaults());
    assertThat(DrillsConfig.defaults().allowLeaderCrash()).isFalse();

    HaddnsConfig config =
        parse(
            loader(),
            BASE
                + """
                drills:
                  allowLeaderCrash: true
                  rto: 2s
                  maxDuration: 10m
                  alarmWindow: 5m
                  blackouts: ["22:00-06:00", "12:00-13:00"]
                  keep: 20
                  maxAge: 720h
                """);

    assertThat(config.drills())
        .isEqualTo(
            new DrillsConfig(
                true,
                Duration.ofSeconds(2),
                Duration.ofMinutes(10),
                Duration.ofMinutes(5),
                List.of(
                    new DrillsConfig.Window(LocalTime.of(22, 0), LocalTime.of(6, 0)),
                    new DrillsConfig.Window(LocalTime.of(12, 0), LocalTime.of(13, 0))),
                20,
                Duration.ofHours(720)));
  }

  @Test
  void refusesBadDrillSettingsNamingTheKey() {
    var problems =
        problems(
            BASE
                + """
                drills:
                  allowLeaderCrash: maybe
                  rto: 0ms
                  blackouts: ["22:00 to 06:00"]
                  keep: 0
                  color: red
                """);

    assertThat(at(problems, "drills.allowLeaderCrash")).as(problems.toString()).isPresent();
    assertThat(at(problems, "drills.rto")).isPresent();
    assertThat(at(problems, "drills.blackouts[0]")).isPresent();
    assertThat(at(problems, "drills.keep")).isPresent();
    assertThat(at(problems, "drills.color")).isPresent();
  }

  @Test
  void aBlackoutWindowMayWrapMidnight() {
    DrillsConfig.Window night = DrillsConfig.Window.parse("22:00-06:00").orElseThrow();

    assertThat(night.contains(Instant.parse("2026-01-01T23:30:00Z"))).isTrue();
    assertThat(night.contains(Instant.parse("2026-01-01T05:59:59Z"))).isTrue();
    assertThat(night.contains(Instant.parse("2026-01-01T06:00:00Z"))).isFalse();
    assertThat(night.contains(Instant.parse("2026-01-01T12:00:00Z"))).isFalse();
  }

  @Test
  void readsPracticeDrillsAndRefusesIncompleteOnes() throws Exception {
    HaddnsConfig config =
        parse(
            loader(),
            BASE
                + """
                drills:
                  practice:
                    - { name: nightly, kind: line-failure, line: telecom, duration: 30s, every: 24h, windows: ["02:00-04:00"] }
                    - { name: weekly-handover, kind: leader-failover, every: 168h }
                """);

    assertThat(config.drills().practice())
        .extracting(DrillsConfig.Practice::name, DrillsConfig.Practice::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("nightly", "line-failure"),
            org.assertj.core.groups.Tuple.tuple("weekly-handover", "leader-failover"));
    assertThat(config.drills().practice().getFirst().every()).isEqualTo(Duration.ofHours(24));

    var problems =
        problems(
            BASE
                + """
                drills:
                  practice:
                    - { name: a, kind: line-failure, every: 24h }
                    - { name: a, kind: meteor, every: 24h }
                """);
    assertThat(at(problems, "drills.practice[0].line")).isPresent();
    assertThat(at(problems, "drills.practice[0].duration")).isPresent();
    assertThat(at(problems, "drills.practice[1].kind")).isPresent();
    assertThat(at(problems, "drills.practice[1].name")).isPresent();
  }
}
