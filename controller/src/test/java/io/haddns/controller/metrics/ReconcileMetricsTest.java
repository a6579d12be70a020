package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.reconcile.ReconcileResult;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.SettableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReconcileMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ReconcileMetrics metrics =
      new ReconcileMetrics(
          registry,
          Map.of("example.com", "embedded", "example.org", "rfc2136"),
          Duration.ofMinutes(5),
          clock);

  @ParameterizedTest
  @CsvSource({
    "term-start, term_start",
    "resync, resync",
    "health wan1, health",
    "health some-other-line, health",
    "addresses, addresses",
    "retry, retry",
    "drill 42, other",
    "'', other"
  })
  void labelsReconcilesByABoundedTriggerKind(String trigger, String kind) {
    metrics.reconciled("example.com", trigger, new ReconcileResult.NoChanges());

    assertThat(
            MetricsScrape.of(registry)
                .value(
                    "haddns_reconciles_total",
                    Map.of("zone", "example.com", "trigger", kind, "result", "no_changes")))
        .hasValue(1);
  }

  @Test
  void marksAZoneConvergedOnlyWhenAReconcileFoundOrMadeItMatchItsPlan() {
    double start = clock.millis() / 1000.0;
    clock.advance(Duration.ofMinutes(1));
    metrics.reconciled("example.com", "resync", new ReconcileResult.NoChanges());
    clock.advance(Duration.ofMinutes(1));
    metrics.reconciled("example.org", "resync", new ReconcileResult.Failed("bad key"));
    metrics.reconciled(
        "example.com", "health", new ReconcileResult.RetryAfter(Duration.ofSeconds(2), "x"));

    MetricsScrape m = MetricsScrape.of(registry);
    assertThat(converged(m, "example.com")).hasValue(start + 60);
    assertThat(converged(m, "example.org")).hasValue(start);
    assertThat(m.value("haddns_resync_interval_seconds")).hasValue(300);

    clock.advance(Duration.ofMinutes(1));
    metrics.reconciled(
        "example.org", "resync", new ReconcileResult.Applied(1, 0, 0, Duration.ofMillis(5)));
    assertThat(converged(MetricsScrape.of(registry), "example.org")).hasValue(start + 180);
  }

  private static OptionalDouble converged(MetricsScrape m, String zone) {
    return m.value("haddns_zone_converged_timestamp_seconds", Map.of("zone", zone));
  }

  @Test
  void countsApplyErrorsByProviderAndKind() {
    metrics.reconciled(
        "example.org", "health wan1", new ReconcileResult.RetryAfter(Duration.ofSeconds(2), "x"));
    metrics.reconciled("example.org", "resync", new ReconcileResult.Failed("bad key"));
    metrics.reconciled("example.com", "resync", new ReconcileResult.NotLeader("epoch moved"));

    MetricsScrape m = MetricsScrape.of(registry);
    assertThat(errors(m, "example.org", "rfc2136", "transient")).hasValue(1);
    assertThat(errors(m, "example.org", "rfc2136", "permanent")).hasValue(1);
    assertThat(errors(m, "example.com", "embedded", "fenced")).hasValue(1);
    assertThat(m.value("haddns_reconcile_retry_delay_seconds", Map.of("zone", "example.org")))
        .hasValue(0);
    assertThat(
            m.value(
                "haddns_reconciles_total",
                Map.of("zone", "example.org", "trigger", "health", "result", "retry")))
        .hasValue(1);
  }

  @Test
  void exportsTheRetryChainWhileItLastsAndZeroOnceTheZoneIsApplied() {
    metrics.reconciled(
        "example.org",
        "health wan1",
        new ReconcileResult.RetryAfter(Duration.ofMillis(400), "refused"));
    metrics.retryState("example.org", 1);
    metrics.reconciled(
        "example.org",
        "retry",
        new ReconcileResult.RetryAfter(Duration.ofSeconds(7), "HTTP 429", Duration.ofSeconds(7)));
    metrics.retryState("example.org", 2);

    MetricsScrape retrying = MetricsScrape.of(registry);
    assertThat(gauge(retrying, "haddns_reconcile_retry_attempts")).isEqualTo(2);
    assertThat(gauge(retrying, "haddns_reconcile_retry_delay_seconds")).isEqualTo(7);
    assertThat(
            retrying.value(
                "haddns_reconciles_total",
                Map.of("zone", "example.org", "trigger", "retry", "result", "retry")))
        .hasValue(1);
    assertThat(errors(retrying, "example.org", "rfc2136", "transient")).hasValue(2);

    metrics.reconciled(
        "example.org", "retry", new ReconcileResult.Applied(0, 1, 0, Duration.ofMillis(20)));
    metrics.retryState("example.org", 0);

    MetricsScrape applied = MetricsScrape.of(registry);
    assertThat(gauge(applied, "haddns_reconcile_retry_attempts")).isZero();
    assertThat(gauge(applied, "haddns_reconcile_retry_delay_seconds")).isZero();
  }

  private static double gauge(MetricsScrape scrape, String name) {
    return scrape.value(name, Map.of("zone", "example.org")).orElseThrow();
  }

  private static java.util.OptionalDouble errors(
      MetricsScrape m, String zone, String provider, String kind) {
    return m.value(
        "haddns_apply_errors_total", Map.of("zone", zone, "provider", provider, "kind", kind));
  }
}
