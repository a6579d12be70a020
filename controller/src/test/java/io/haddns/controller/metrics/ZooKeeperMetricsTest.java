package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.ZkClient;
import io.haddns.controller.testing.MetricsScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ZooKeeperMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicReference<ZkClient.Connection> state =
      new AtomicReference<>(ZkClient.Connection.CONNECTING);

  @Test
  void exportsOneSeriesPerConnectionStateWithTheCurrentOneSetReadAtScrapeTime() {
    new ZooKeeperMetrics(registry, state::get);

    assertThat(value("connecting")).isEqualTo(1);
    assertThat(value("connected")).isZero();
    state.set(ZkClient.Connection.SUSPENDED);
    MetricsScrape m = MetricsScrape.of(registry);

    assertThat(
            m.samples().stream().filter(s -> s.name().equals("haddns_zookeeper_connection_state")))
        .hasSize(ZkClient.Connection.values().length);
    assertThat(value("suspended")).isEqualTo(1);
    assertThat(value("connecting")).isZero();
    assertThat(value("read_only")).isZero();
  }

  private double value(String s) {
    return MetricsScrape.of(registry)
        .value("haddns_zookeeper_connection_state", Map.of("state", s))
        .orElseThrow();
  }
}
