package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.BASE;
import static io.haddns.controller.config.ConfigTesting.at;
import static io.haddns.controller.config.ConfigTesting.edit;
import static io.haddns.controller.config.ConfigTesting.loader;
import static io.haddns.controller.config.ConfigTesting.parse;
import static io.haddns.controller.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderLeaderLeaseTest {

  private static String lease(String body) {
    return edit("  sessionTimeout: 6s\n", "  sessionTimeout: 6s\n  leaderLease:\n" + body);
  }

  private static String reason(List<ConfigProblem> problems, String path) {
    return at(problems, path)
        .orElseThrow(() -> new AssertionError(path + ": " + problems))
        .reason();
  }

  @Test
  void leaseIsOnWithSafeDefaultsWhenLeftOut() throws Exception {
    LeaderLeaseConfig lease = parse(loader(), BASE).cluster().leaderLease();

    assertThat(lease).isEqualTo(LeaderLeaseConfig.DEFAULTS);
    assertThat(lease.enabled()).isTrue();
    assertThat(lease.renewInterval()).isEqualTo(Duration.ofMillis(150));
    assertThat(lease.detection()).isEqualTo(Duration.ofMillis(600));
    assertThat(lease.refusedDetection()).isEqualTo(Duration.ofMillis(300));
    assertThat(lease.checkInterval()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void readsEveryKeyAndCanBeSwitchedOff() throws Exception {
    LeaderLeaseConfig lease =
        parse(
                loader(),
                lease(
                    "    renewInterval: 200ms\n    detection: 1s\n    refusedDetection: 500ms\n"
                        + "    checkInterval: 100ms\n    connectionWatch: false\n"))
            .cluster()
            .leaderLease();
    LeaderLeaseConfig off = parse(loader(), lease("    enabled: false\n")).cluster().leaderLease();

    assertThat(lease)
        .isEqualTo(
            new LeaderLeaseConfig(
                true,
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                Duration.ofMillis(100),
                false));
    assertThat(off.enabled()).isFalse();
    assertThat(off.connectionWatch()).isTrue();
  }

  @Test
  void aLongerRenewalIntervalAloneMovesTheOtherBoundsWithIt() throws Exception {
    LeaderLeaseConfig lease =
        parse(loader(), lease("    renewInterval: 400ms\n")).cluster().leaderLease();

    assertThat(lease.detection()).isEqualTo(Duration.ofMillis(1600));
    assertThat(lease.refusedDetection()).isEqualTo(Duration.ofMillis(800));
    assertThat(lease.checkInterval()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void refusesDetectionShorterThanThreeRenewalsWithTheReason() {
    var problems = problems(lease("    renewInterval: 200ms\n    detection: 500ms\n"));

    assertThat(reason(problems, "cluster.leaderLease.detection"))
        .contains("at least three renewal intervals (600ms)")
        .contains("two renewals lost or late in a row");
  }

  @Test
  void refusesDetectionThatTheSessionTimeoutWouldBeatAnyway() {
    var problems =
        problems(
            edit(
                "  sessionTimeout: 6s\n",
                "  sessionTimeout: 2s\n  leaderLease:\n"
                    + "    renewInterval: 500ms\n    detection: 2s\n    refusedDetection: 1s\n"
                    + "    checkInterval: 100ms\n"));

    assertThat(reason(problems, "cluster.leaderLease.detection"))
        .contains("must be shorter than cluster.sessionTimeout (2s)")
        .contains("enabled: false");
  }

  @Test
  void refusesRefusedDetectionOutsideTwoRenewalsAndDetection() {
    var tooShort = problems(lease("    refusedDetection: 200ms\n"));
    var tooLong = problems(lease("    refusedDetection: 700ms\n"));

    assertThat(reason(tooShort, "cluster.leaderLease.refusedDetection"))
        .contains("between two renewal intervals (300ms)");
    assertThat(reason(tooLong, "cluster.leaderLease.refusedDetection"))
        .contains("and cluster.leaderLease.detection (600ms)");
  }

  @Test
  void refusesAProbeRoundLongerThanARenewal() {
    var problems = problems(lease("    checkInterval: 200ms\n"));

    assertThat(reason(problems, "cluster.leaderLease.checkInterval"))
        .contains("must not exceed cluster.leaderLease.renewInterval (150ms)")
        .contains("probe round");
  }

  @Test
  void refusesUnknownKeysAndTooFrequentRenewals() {
    var problems = problems(lease("    renewInterval: 5ms\n    timeout: 1s\n"));

    assertThat(reason(problems, "cluster.leaderLease.renewInterval")).contains("at least 20ms");
    assertThat(at(problems, "cluster.leaderLease.timeout")).isPresent();
  }
}
