package io.haddns.controller.config;

import java.time.Duration;
import java.util.Optional;

/** Reads the optional {@code audit} section: {@code maxEvents} and {@code maxAge}. */
final class AuditSection {
  static final int MAX_EVENTS = 1_000_000;

  private AuditSection() {}

  static Optional<AuditConfig> read(YamlValue value) {
    Optional<YamlMap> section = value.map();
    if (section.isEmpty()) {
      return Optional.empty();
    }
    YamlMap map = section.get().allow("maxEvents", "maxAge");
    Optional<Integer> maxEvents =
        map.get("maxEvents")
            .map(v -> v.integer(1, MAX_EVENTS))
            .orElse(Optional.of(AuditConfig.DEFAULT_MAX_EVENTS));
    Optional<Duration> maxAge =
        map.get("maxAge")
            .map(v -> v.duration(Duration.ofMinutes(1), Duration.ofDays(3650)))
            .orElse(Optional.of(AuditConfig.DEFAULT_MAX_AGE));
    if (maxEvents.isEmpty() || maxAge.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new AuditConfig(maxEvents.get(), maxAge.get()));
  }
}
