package io.haddns.controller.metrics;

import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.store.DrillStore;
import io.haddns.controller.store.Versioned;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * The last ended drill of each kind, as every node sees it, read at scrape time from the replicated
 * view (docs/operations.md, "Failover drills"). Kinds never drilled (or whose reports were removed)
 * are left out.
 */
public final class DrillMetrics {

  public DrillMetrics(PrometheusRegistry registry, DrillStore drills) {
    GaugeWithCallback.builder()
        .name("haddns_drill_rto_seconds")
        .help("The recovery time the last ended drill of the kind measured, in seconds")
        .labelNames("kind")
        .callback(
            cb -> {
              for (DrillKind k : DrillKind.values()) {
                last(drills, k)
                    .flatMap(Drill::recoveryTime)
                    .ifPresent(t -> cb.call(t.toNanos() / 1e9, k.label()));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_drill_last_result")
        .help("1 when the last ended drill of the kind passed, 0 when it failed or was aborted")
        .labelNames("kind")
        .callback(
            cb -> {
              for (DrillKind k : DrillKind.values()) {
                last(drills, k)
                    .flatMap(Drill::verdict)
                    .ifPresent(v -> cb.call(v == Drill.Verdict.PASSED ? 1 : 0, k.label()));
              }
            })
        .register(registry);
  }

  private static Optional<Drill> last(DrillStore drills, DrillKind kind) {
    return drills.drills().values().stream()
        .map(Versioned::value)
        .filter(d -> d.kind() == kind && !d.running())
        .max(Comparator.comparing(d -> d.at(Drill.Step.ENDED).orElse(Instant.EPOCH)));
  }
}
