package io.haddns.controller.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the optional {@code drills} section: {@code allowLeaderCrash}, {@code rto}, {@code
 * maxDuration}, {@code alarmWindow}, {@code blackouts}, {@code keep}, {@code maxAge}.
 */
final class DrillsSection {
  private DrillsSection() {}

  static Optional<DrillsConfig> read(YamlValue value) {
    Optional<YamlMap> section = value.map();
    if (section.isEmpty()) {
      return Optional.empty();
    }
    DrillsConfig d = DrillsConfig.defaults();
    YamlMap map =
        section
            .get()
            .allow(
                "allowLeaderCrash",
                "rto",
                "maxDuration",
                "alarmWindow",
                "blackouts",
                "keep",
                "maxAge");
    Optional<Boolean> crash =
        map.get("allowLeaderCrash").map(YamlValue::bool).orElse(Optional.of(false));
    Optional<Duration> rto =
        map.get("rto")
            .map(v -> v.duration(Duration.ofMillis(10), Duration.ofHours(1)))
            .orElse(Optional.of(d.objective()));
    Optional<Duration> maxDuration =
        map.get("maxDuration")
            .map(v -> v.duration(Duration.ofSeconds(1), Duration.ofDays(1)))
            .orElse(Optional.of(d.maxDuration()));
    Optional<Duration> alarm =
        map.get("alarmWindow")
            .map(v -> v.duration(Duration.ofSeconds(1), Duration.ofDays(1)))
            .orElse(Optional.of(d.alarmWindow()));
    Optional<Integer> keep =
        map.get("keep").map(v -> v.integer(1, 10_000)).orElse(Optional.of(d.keep()));
    Optional<Duration> maxAge =
        map.get("maxAge")
            .map(v -> v.duration(Duration.ofMinutes(1), Duration.ofDays(3650)))
            .orElse(Optional.of(d.maxAge()));
    Optional<List<DrillsConfig.Window>> blackouts =
        map.get("blackouts").map(DrillsSection::windows).orElse(Optional.of(List.of()));
    if (crash.isEmpty()
        || rto.isEmpty()
        || maxDuration.isEmpty()
        || alarm.isEmpty()
        || keep.isEmpty()
        || maxAge.isEmpty()
        || blackouts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new DrillsConfig(
            crash.get(),
            rto.get(),
            maxDuration.get(),
            alarm.get(),
            blackouts.get(),
            keep.get(),
            maxAge.get()));
  }

  private static Optional<List<DrillsConfig.Window>> windows(YamlValue value) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<DrillsConfig.Window> out = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<String> text = item.string();
      Optional<DrillsConfig.Window> w = text.flatMap(DrillsConfig.Window::parse);
      if (text.isEmpty()) {
        ok = false;
      } else if (w.isEmpty()) {
        item.problem("must be a daily UTC window HH:MM-HH:MM, e.g. 22:00-06:00");
        ok = false;
      } else {
        out.add(w.get());
      }
    }
    return ok ? Optional.of(out) : Optional.empty();
  }
}
