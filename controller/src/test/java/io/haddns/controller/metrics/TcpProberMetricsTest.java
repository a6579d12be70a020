package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.MetricsScrape;
import io.haddns.probe.tcp.TcpProberPool;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TcpProberMetricsTest {
  @Test
  void exposesThePoolsSocketLimitAndWhatAnIdlePoolHolds() {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (TcpProberPool prober = TcpProberPool.open(2, 3_750)) {
      new TcpProberMetrics(registry, prober);

      MetricsScrape m = MetricsScrape.of(registry);

      // Two threads with half of the limit each.
      assertThat(m.value("haddns_probe_tcp_sockets_limit", Map.of())).hasValue(3_750 / 2 * 2);
      assertThat(m.value("haddns_probe_tcp_sockets", Map.of())).hasValue(0);
      assertThat(m.value("haddns_probe_tcp_waiting", Map.of())).hasValue(0);
    }
  }
}
