package io.haddns.controller.config;

import java.util.Optional;

/**
 * The optional {@code metrics} section (docs/operations.md, "Metrics").
 *
 * @param probeLines lines, in configuration order, whose probe metrics carry their own {@code line}
 *     label; the others share the label {@code _other}, so the number of series stays bounded
 */
public record MetricsConfig(int probeLines) {
  public static final int DEFAULT_PROBE_LINES = 50;
  public static final int MAX_PROBE_LINES = 10_000;

  public MetricsConfig {
    if (probeLines < 0 || probeLines > MAX_PROBE_LINES) {
      throw new IllegalArgumentException(
          "metrics.probeLines must be between 0 and " + MAX_PROBE_LINES);
    }
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(DEFAULT_PROBE_LINES);
  }

  /** Reads the section; empty after a problem was reported. */
  static Optional<MetricsConfig> read(YamlValue value) {
    Optional<YamlMap> section = value.map();
    if (section.isEmpty()) {
      return Optional.empty();
    }
    YamlMap map = section.get().allow("probeLines");
    return map.get("probeLines")
        .map(v -> v.integer(0, MAX_PROBE_LINES))
        .orElse(Optional.of(DEFAULT_PROBE_LINES))
        .map(MetricsConfig::new);
  }
}
