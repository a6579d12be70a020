package io.haddns.controller.metrics;

import io.haddns.controller.verify.VerifyObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/** How long applied changes took to be answered by the zone's authoritative servers. */
public final class VerifyMetrics implements VerifyObserver {
  private final Histogram visible;
  private final Counter failures;

  public VerifyMetrics(PrometheusRegistry registry) {
    visible =
        Histogram.builder()
            .name("haddns_apply_visible_seconds")
            .help("Time from sending an apply until every checked name server answered it")
            .unit(Unit.SECONDS)
            .labelNames("zone")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    failures =
        Counter.builder()
            .name("haddns_apply_verify_failures_total")
            .help("Applies not answered by the name servers within the verification timeout")
            .labelNames("zone")
            .register(registry);
  }

  @Override
  public void visible(String zone, Duration afterApply) {
    visible.labelValues(zone).observe(afterApply.toNanos() / 1e9);
  }

  @Override
  public void notVisible(String zone, String reason) {
    failures.labelValues(zone).inc();
  }
}
