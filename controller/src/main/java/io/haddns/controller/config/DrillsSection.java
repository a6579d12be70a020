package io.haddns.controller.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the optional {@code drills} section: {@code allowLeaderCrash}, {@code rto}, {@code
 * maxDuration}, {@code alarmWindow}, {@code blackouts}, {@code keep}, {@code maxAge}, {@code
 * practice}.
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
                "maxAge",
                "practice");
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
    Optional<List<DrillsConfig.Practice>> practice =
        map.get("practice").map(DrillsSection::practice).orElse(Optional.of(List.of()));
    if (practice.isEmpty()
        || crash.isEmpty()
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
            maxAge.get(),
            practice.get()));
  }

  private static Optional<List<DrillsConfig.Practice>> practice(YamlValue value) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<DrillsConfig.Practice> out = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<DrillsConfig.Practice> p = item.map().flatMap(m -> practiceEntry(m, names));
      ok &= p.isPresent();
      p.ifPresent(out::add);
    }
    return ok ? Optional.of(out) : Optional.empty();
  }

  private static Optional<DrillsConfig.Practice> practiceEntry(
      YamlMap raw, java.util.Set<String> names) {
    YamlMap m = raw.allow("name", "kind", "line", "zone", "duration", "rto", "every", "windows");
    Optional<String> name = m.required("name").flatMap(YamlValue::string);
    Optional<String> kind = m.required("kind").flatMap(YamlValue::string);
    Optional<Duration> every =
        m.required("every").flatMap(v -> v.duration(Duration.ofMinutes(1), Duration.ofDays(365)));
    Optional<String> line = m.get("line").flatMap(YamlValue::string);
    Optional<String> zone = m.get("zone").flatMap(YamlValue::string);
    Optional<Duration> duration =
        m.get("duration").flatMap(v -> v.duration(Duration.ofSeconds(1), Duration.ofDays(1)));
    Optional<Duration> rto =
        m.get("rto").flatMap(v -> v.duration(Duration.ofMillis(10), Duration.ofHours(1)));
    Optional<List<DrillsConfig.Window>> windows =
        m.get("windows").map(DrillsSection::windows).orElse(Optional.of(List.of()));
    boolean ok = name.isPresent() && kind.isPresent() && every.isPresent() && windows.isPresent();
    if (kind.isPresent() && !DrillsConfig.KINDS.contains(kind.get())) {
      m.get("kind").ifPresent(v -> v.problem("must be one of " + DrillsConfig.KINDS));
      ok = false;
    }
    if (name.isPresent() && !names.add(name.get())) {
      m.get("name").ifPresent(v -> v.problem("another practice drill has this name"));
      ok = false;
    }
    if (kind.isPresent() && kind.get().equals("line-failure") && line.isEmpty()) {
      m.missing("line", "a line-failure practice drill names its line");
      ok = false;
    }
    if (kind.isPresent() && kind.get().equals("provider-outage") && zone.isEmpty()) {
      m.missing("zone", "a provider-outage practice drill names its zone");
      ok = false;
    }
    boolean timed =
        kind.map(k -> k.equals("line-failure") || k.equals("provider-outage")).orElse(false);
    if (timed && duration.isEmpty()) {
      m.missing("duration", "a " + kind.get() + " practice drill needs a duration");
      ok = false;
    }
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(
        new DrillsConfig.Practice(
            name.get(), kind.get(), line, zone, duration, rto, every.get(), windows.get()));
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
