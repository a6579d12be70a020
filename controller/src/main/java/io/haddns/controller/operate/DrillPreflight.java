package io.haddns.controller.operate;

import io.haddns.controller.config.DrillsConfig;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.store.LineOverride;
import io.haddns.probe.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A drill's guard rails (docs/operations.md, "Failover drills"): every reason it may not start, all
 * at once. Safety rails: fewer than two live members for a leader drill, the line already down or
 * overridden, a record of the line without another healthy line, a zone paused, another drill
 * running, leader crashes not enabled. Soft rails, which an admin's {@code force} skips: a blackout
 * window, an alarm (an apply failed recently).
 */
public final class DrillPreflight {

  /**
   * The cluster as the preflight sees it.
   *
   * @param liveMembers the node ids registered now
   * @param health the decided health of each line (lines never decided are absent)
   * @param overrides the overrides in force now, by line
   * @param paused the paused zones
   * @param running the drill running now, if any
   * @param recentApplyFailures apply failures within the alarm window
   */
  public record Snapshot(
      Set<String> liveMembers,
      Map<String, Health> health,
      Map<String, LineOverride> overrides,
      Set<String> paused,
      Optional<Drill> running,
      int recentApplyFailures,
      Instant now) {
    public Snapshot {
      liveMembers = Set.copyOf(liveMembers);
      health = Map.copyOf(health);
      overrides = Map.copyOf(overrides);
      paused = Set.copyOf(paused);
    }
  }

  private final HaddnsConfig config;

  public DrillPreflight(HaddnsConfig config) {
    this.config = config;
  }

  /** Every guard rail {@code request} runs into; soft ones left out when it is forced. */
  public List<GuardRail> check(DrillRequest request, Snapshot s) {
    List<GuardRail> out = new ArrayList<>();
    DrillsConfig drills = config.drills();
    s.running()
        .ifPresent(
            d ->
                out.add(
                    new GuardRail(
                        "drill-running",
                        false,
                        "drill " + d.id() + " (" + d.kind().label() + ") is still running")));
    if (request.kind().movesLeadership() && s.liveMembers().size() < 2) {
      out.add(
          new GuardRail(
              "members",
              false,
              "a leader drill needs at least 2 live members, there are " + s.liveMembers().size()));
    }
    if (request.kind() == DrillKind.LEADER_CRASH && !drills.allowLeaderCrash()) {
      out.add(
          new GuardRail(
              "leader-crash-disabled",
              false,
              "leader-crash drills are not enabled in this cluster (drills.allowLeaderCrash)"));
    }
    Set<String> zones = new LinkedHashSet<>();
    request.zone().ifPresent(zones::add);
    if (request.kind() == DrillKind.LINE_FAILURE && request.line().isPresent()) {
      String line = request.line().get();
      lineRails(line, s, out);
      config.records().stream()
          .filter(r -> r.lines().contains(line))
          .forEach(r -> zones.add(r.zone()));
    }
    for (String zone : zones) {
      if (s.paused().contains(zone)) {
        out.add(new GuardRail("zone-paused", false, "zone " + zone + " is paused"));
      }
    }
    drills
        .blackoutAt(s.now())
        .ifPresent(
            w ->
                out.add(
                    new GuardRail(
                        "blackout", true, "drills are not run between " + w.label() + " UTC")));
    if (s.recentApplyFailures() > 0) {
      out.add(
          new GuardRail(
              "alarm",
              true,
              s.recentApplyFailures()
                  + " DNS apply failure(s) within the last "
                  + drills.alarmWindow().toMinutes()
                  + " min (audit kind apply-failed)"));
    }
    if (request.force()) {
      out.removeIf(GuardRail::soft);
    }
    return List.copyOf(out);
  }

  private void lineRails(String line, Snapshot s, List<GuardRail> out) {
    Health h = s.health().getOrDefault(line, Health.UNKNOWN);
    if (h != Health.UP) {
      out.add(new GuardRail("line-down", false, "line " + line + " is " + h.label() + " already"));
    }
    LineOverride o = s.overrides().get(line);
    if (o != null) {
      out.add(
          new GuardRail(
              "line-overridden",
              false,
              "line " + line + " is forced " + o.forced().label() + " by " + o.by()));
    }
    for (RecordConfig r : config.records()) {
      if (!r.lines().contains(line)) {
        continue;
      }
      boolean otherHealthy =
          r.lines().stream().filter(l -> !l.equals(line)).anyMatch(l -> healthy(l, s));
      if (!otherHealthy) {
        out.add(
            new GuardRail(
                "no-other-line",
                false,
                "record " + r.key() + " has no other healthy line than " + line));
      }
    }
  }

  private static boolean healthy(String line, Snapshot s) {
    LineOverride o = s.overrides().get(line);
    if (o != null) {
      return o.forced() == LineOverride.Forced.UP;
    }
    return s.health().get(line) == Health.UP;
  }
}
