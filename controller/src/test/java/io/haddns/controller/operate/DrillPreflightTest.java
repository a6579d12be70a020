package io.haddns.controller.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.store.LineOverride;
import io.haddns.probe.Health;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrillPreflightTest {
  private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant NIGHT = Instant.parse("2026-03-01T23:00:00Z");

  private static HaddnsConfig config() throws Exception {
    String yaml =
        """
        cluster: { name: test, zookeeper: "127.0.0.1:2181", zookeeperAuth: { scheme: none } }
        lines:
          - { name: a, address: { static: [192.0.2.1] }, probes: [ { tcp: { port: 443 } } ] }
          - { name: b, address: { static: [192.0.2.2] }, probes: [ { tcp: { port: 443 } } ] }
          - { name: c, address: { static: [192.0.2.3] }, probes: [ { tcp: { port: 443 } } ] }
        zones:
          - { name: example.com, provider: { type: embedded } }
          - { name: example.net, provider: { type: embedded } }
        records:
          - { name: app.example.com, lines: [a, b] }
          - { name: www.example.net, lines: [a, c] }
        node: { id: node-1 }
        drills:
          blackouts: ["22:00-06:00"]
        """;
    return new ConfigLoader(Map.of()).parse(yaml, "test.yaml", Path.of("/tmp"));
  }

  private static DrillRequest lineFailure(String line, boolean force) {
    return new DrillRequest(
        DrillKind.LINE_FAILURE,
        Optional.of(line),
        Optional.empty(),
        Optional.of(Duration.ofSeconds(30)),
        Optional.empty(),
        force);
  }

  private static DrillRequest leader(DrillKind kind) {
    return new DrillRequest(
        kind, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  private static DrillPreflight.Snapshot healthy(Instant now) {
    return new DrillPreflight.Snapshot(
        Set.of("node-1", "node-2"),
        Map.of("a", Health.UP, "b", Health.UP, "c", Health.UP),
        Map.of(),
        Set.of(),
        Optional.empty(),
        0,
        now);
  }

  @Test
  void aHealthyClusterOutsideAnyBlackoutLetsEveryDrillStart() throws Exception {
    DrillPreflight preflight = new DrillPreflight(config());

    assertThat(preflight.check(lineFailure("a", false), healthy(NOON))).isEmpty();
    assertThat(preflight.check(leader(DrillKind.LEADER_FAILOVER), healthy(NOON))).isEmpty();
  }

  @Test
  void refusesWithEveryReasonAtOnce() throws Exception {
    DrillPreflight preflight = new DrillPreflight(config());
    Drill running =
        Drill.requested(
            "d-1",
            DrillKind.PROVIDER_OUTAGE,
            Optional.empty(),
            Optional.of("example.net"),
            Optional.of(Duration.ofMinutes(1)),
            Duration.ofSeconds(5),
            false,
            "bob",
            NIGHT);
    DrillPreflight.Snapshot s =
        new DrillPreflight.Snapshot(
            Set.of("node-1"),
            Map.of("a", Health.DOWN, "b", Health.UP, "c", Health.UP),
            Map.of(
                "a",
                new LineOverride(
                    "a", LineOverride.Forced.UP, "x", "carol", NIGHT, Optional.empty()),
                "b",
                new LineOverride(
                    "b", LineOverride.Forced.DOWN, "x", "carol", NIGHT, Optional.empty())),
            Set.of("example.com"),
            Optional.of(running),
            2,
            NIGHT);

    var reasons = preflight.check(lineFailure("a", false), s);

    assertThat(reasons)
        .extracting(GuardRail::rule)
        .containsExactlyInAnyOrder(
            "drill-running",
            "line-down",
            "line-overridden",
            "no-other-line",
            "zone-paused",
            "blackout",
            "alarm");
    assertThat(reasons)
        .filteredOn(r -> r.rule().equals("no-other-line"))
        .singleElement()
        .satisfies(r -> assertThat(r.why()).contains("app.example.com/A").contains(" a"));
    assertThat(reasons)
        .filteredOn(GuardRail::soft)
        .extracting(GuardRail::rule)
        .containsExactlyInAnyOrder("blackout", "alarm");
    assertThat(preflight.check(leader(DrillKind.LEADER_FAILOVER), s))
        .extracting(GuardRail::rule)
        .containsExactlyInAnyOrder("drill-running", "members", "blackout", "alarm");
    assertThat(preflight.check(leader(DrillKind.LEADER_CRASH), healthy(NOON)))
        .extracting(GuardRail::rule)
        .containsExactly("leader-crash-disabled");
  }

  @Test
  void forceSkipsTheSoftRailsButNeverTheSafetyOnes() throws Exception {
    DrillPreflight preflight = new DrillPreflight(config());
    DrillPreflight.Snapshot night =
        new DrillPreflight.Snapshot(
            Set.of("node-1", "node-2"),
            Map.of("a", Health.UP, "b", Health.UP, "c", Health.UNKNOWN),
            Map.of(),
            Set.of(),
            Optional.empty(),
            3,
            NIGHT);

    assertThat(preflight.check(lineFailure("a", false), night))
        .extracting(GuardRail::rule)
        .containsExactlyInAnyOrder("no-other-line", "blackout", "alarm");
    assertThat(preflight.check(lineFailure("a", true), night))
        .extracting(GuardRail::rule)
        .containsExactly("no-other-line");
    assertThat(preflight.check(lineFailure("b", true), night)).isEmpty();
  }
}
