package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.admin.ClusterStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  private static ClusterStatus status(ClusterStatus.Override override, ClusterStatus.Pause pause) {
    return new ClusterStatus(
        "lab",
        "node-1",
        true,
        true,
        "node-1",
        3,
        List.of(
            new ClusterStatus.Member("node-1", "127.0.0.1:8053", "1.0", "2026-01-01T00:00:00Z")),
        List.of(
            new ClusterStatus.Line(
                "telecom",
                override == null ? "up" : "down",
                List.of("192.0.2.1"),
                "2026-01-01T00:00:00Z",
                override == null ? "probes ok" : "forced down by alice",
                override,
                new ClusterStatus.Source("static", "", null, null, null),
                List.of(),
                List.of()),
            new ClusterStatus.Line(
                "unicom",
                "up",
                List.of("198.51.100.1"),
                "2026-01-01T00:00:00Z",
                "ok",
                null,
                new ClusterStatus.Source("static", "", null, null, null),
                List.of(),
                List.of())),
        List.of(
            new ClusterStatus.Record(
                "app.example.com",
                "A",
                "example.com",
                60,
                List.of("198.51.100.1"),
                3,
                "2026-01-01T00:00:00Z",
                5,
                List.of())),
        List.of(new ClusterStatus.Zone("example.com", false, List.of(), List.of(), pause)));
  }

  @Test
  void showsEachOverrideWithItsStateAuthorExpiryAndReason() {
    String out =
        new StatusTable()
            .renderLines(
                status(
                    new ClusterStatus.Override(
                        "down",
                        "alice",
                        "ISP maintenance",
                        "2026-01-01T10:00:00Z",
                        "2026-01-01T10:30:00Z"),
                    null));

    assertThat(out)
        .contains("OVERRIDDEN LINE  STATE  BY     SINCE                 UNTIL")
        .containsPattern(
            "telecom +down +alice +2026-01-01T10:00:00Z +2026-01-01T10:30:00Z +ISP maintenance");
    assertThat(out).doesNotContain("RECORD");
  }

  @Test
  void anOverrideUntilClearedSaysSo() {
    String out =
        new StatusTable()
            .render(
                status(
                    new ClusterStatus.Override(
                        "up", "bob", "probe target down", "2026-01-01T10:00:00Z", null),
                    null));

    assertThat(out).containsPattern("telecom +up +bob +2026-01-01T10:00:00Z +cleared +probe");
  }

  @Test
  void showsEachPausedZoneWithAuthorSinceAndReason() {
    String out =
        new StatusTable()
            .renderRecords(
                status(
                    null,
                    new ClusterStatus.Pause(
                        "alice", "provider migration", "2026-01-01T09:00:00Z")));

    assertThat(out)
        .contains("PAUSED ZONE")
        .containsPattern("example.com +alice +2026-01-01T09:00:00Z +provider migration")
        .contains("app.example.com");
    assertThat(out).doesNotContain("LINE");
  }

  @Test
  void leavesOutTheOverrideAndPauseTablesWhenThereAreNone() {
    String out = new StatusTable().render(status(null, null));

    assertThat(out).doesNotContain("OVERRIDDEN LINE").doesNotContain("PAUSED ZONE");
    assertThat(out).contains("telecom").contains("app.example.com");
  }
}
