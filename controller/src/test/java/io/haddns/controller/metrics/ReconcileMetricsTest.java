package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.reconcile.ReconcileResult;
import io.haddns.controller.testing.MetricsScrape;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileMetricsTest {
  private static final String ZONE = "example.com";
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ReconcileMetrics metrics =
      new ReconcileMetrics(
          registry,
          Map.of(ZONE, "powerdns"),
          InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));

  @Test
  void exportsTheRetryChainWhileItLastsAndZeroOnceTheZoneIsApplied() throws IOException {
    metrics.reconciled(
        ZONE, "line-down", new ReconcileResult.RetryAfter(Duration.ofMillis(400), "refused"));
    metrics.retryState(ZONE, 1);
    metrics.reconciled(
        ZONE,
        "retry",
        new ReconcileResult.RetryAfter(Duration.ofSeconds(7), "HTTP 429", Duration.ofSeconds(7)));
    metrics.retryState(ZONE, 2);

    MetricsScrape retrying = scrape();
    assertThat(gauge(retrying, "haddns_reconcile_retry_attempts")).isEqualTo(2);
    assertThat(gauge(retrying, "haddns_reconcile_retry_delay_seconds")).isEqualTo(7);
    assertThat(retrying.value("haddns_reconciles_total", Map.of("zone", ZONE, "result", "retry")))
        .hasValue(2);
    assertThat(
            retrying.value(
                "haddns_apply_errors_total",
                Map.of("zone", ZONE, "provider", "powerdns", "kind", "transient")))
        .hasValue(2);

    metrics.reconciled(ZONE, "retry", new ReconcileResult.Applied(0, 1, 0, Duration.ofMillis(20)));
    metrics.retryState(ZONE, 0);

    MetricsScrape applied = scrape();
    assertThat(gauge(applied, "haddns_reconcile_retry_attempts")).isZero();
    assertThat(gauge(applied, "haddns_reconcile_retry_delay_seconds")).isZero();
  }

  private static double gauge(MetricsScrape scrape, String name) {
    return scrape.value(name, Map.of("zone", ZONE)).orElseThrow();
  }

  private MetricsScrape scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return MetricsScrape.parse(out.toString(StandardCharsets.UTF_8));
  }
}
