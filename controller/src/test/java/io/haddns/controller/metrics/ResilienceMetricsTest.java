package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ResilientDnsProvider;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.testing.InMemoryDnsProvider;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.SettableClock;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilienceMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ResilienceMetrics metrics = new ResilienceMetrics(registry);
  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryDnsProvider backend = new InMemoryDnsProvider("example.com.");
  private final ResilientDnsProvider provider =
      new ResilientDnsProvider(backend, "rfc2136", Duration.ofSeconds(5), metrics, clock);
  private final ResilientDnsProvider other =
      new ResilientDnsProvider(
          new InMemoryDnsProvider("example.org."),
          "embedded",
          Duration.ofSeconds(5),
          metrics,
          clock);

  @AfterEach
  void close() {
    provider.close();
    other.close();
  }

  @Test
  void exportsEachCircuitStateOneHotReadAtScrapeTime() throws Exception {
    assertThat(state("example.com.", "closed")).isEqualTo(1);
    assertThat(state("example.com.", "open")).isZero();
    assertThat(state("example.com.", "half_open")).isZero();

    for (int i = 0; i < 5; i++) {
      backend.failNext(new TransientProviderException("SERVFAIL"));
      assertThatThrownBy(provider::list).isInstanceOf(TransientProviderException.class);
    }

    assertThat(state("example.com.", "open")).isEqualTo(1);
    assertThat(state("example.com.", "closed")).isZero();
    assertThat(state("example.org.", "closed")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(11));
    provider.list();
    assertThat(state("example.com.", "half_open")).isEqualTo(1);
    assertThat(state("example.com.", "open")).isZero();
  }

  @Test
  void countsCallsByOperationAndOutcome() throws Exception {
    provider.claim(3);
    provider.list();
    backend.failNext(new PermanentProviderException("NOTAUTH"));
    assertThatThrownBy(provider::list).isInstanceOf(PermanentProviderException.class);
    assertThatThrownBy(() -> provider.apply(List.of(), 2)).hasMessageContaining("held by epoch 3");
    // Permanent and fenced calls do not count: 3 transient of 5 counted calls open the circuit.
    for (int i = 0; i < 3; i++) {
      backend.failNext(new TransientProviderException("SERVFAIL"));
      assertThatThrownBy(() -> provider.apply(List.of(), 3))
          .isInstanceOf(TransientProviderException.class);
    }
    assertThatThrownBy(() -> provider.apply(List.of(), 3)).hasMessageStartingWith("circuit open");

    MetricsScrape scrape = scrape();
    assertThat(calls(scrape, "claim", "success")).isEqualTo(1);
    assertThat(calls(scrape, "list", "success")).isEqualTo(1);
    assertThat(calls(scrape, "list", "permanent")).isEqualTo(1);
    assertThat(calls(scrape, "apply", "fenced")).isEqualTo(1);
    assertThat(calls(scrape, "apply", "transient")).isEqualTo(3);
    assertThat(calls(scrape, "apply", "rejected")).isEqualTo(1);
  }

  private static double calls(MetricsScrape scrape, String operation, String outcome) {
    return scrape
        .value(
            "haddns_provider_calls_total",
            Map.of("zone", "example.com.", "operation", operation, "outcome", outcome))
        .orElseThrow();
  }

  private double state(String zone, String state) throws IOException {
    return scrape()
        .value("haddns_provider_circuit_state", Map.of("zone", zone, "state", state))
        .orElseThrow();
  }

  private MetricsScrape scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return MetricsScrape.parse(out.toString(StandardCharsets.UTF_8));
  }
}
