package io.haddns.controller.metrics;

import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.Versioned;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.InstantSource;
import java.util.List;

/**
 * Operators' intents as every node sees them, read at scrape time from the replicated views: which
 * zones are paused and which lines are forced (docs/operations.md).
 */
public final class OperatorMetrics {

  public OperatorMetrics(
      PrometheusRegistry registry,
      List<String> zones,
      List<String> lines,
      IntentStore intents,
      InstantSource clock) {
    GaugeWithCallback.builder()
        .name("haddns_zone_paused")
        .help("1 while an operator has paused the zone's writes and drift repair, else 0")
        .labelNames("zone")
        .callback(
            cb -> {
              var paused = intents.pauses();
              zones.forEach(z -> cb.call(paused.containsKey(z) ? 1 : 0, z));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_line_override")
        .help("1 for the state an operator forces the line into (down or up), else 0")
        .labelNames("line", "state")
        .callback(
            cb -> {
              var overrides = intents.overrides();
              for (String line : lines) {
                Versioned<LineOverride> v = overrides.get(line);
                boolean active = v != null && v.value().activeAt(clock.instant());
                for (LineOverride.Forced f : LineOverride.Forced.values()) {
                  cb.call(active && v.value().forced() == f ? 1 : 0, line, f.label());
                }
              }
            })
        .register(registry);
  }
}
