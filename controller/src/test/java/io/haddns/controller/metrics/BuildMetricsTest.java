package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.RequiredBinary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  @Test
  void exportsTheBuildAndJavaVersionAndTheJvmAndProcessMetrics() throws Exception {
    new BuildMetrics(registry, "1.2.3", "0123456789ab");

    MetricsScrape m = MetricsScrape.of(registry);

    assertThat(
            m.value(
                    "haddns_build_info",
                    Map.of(
                        "version",
                        "1.2.3",
                        "revision",
                        "0123456789ab",
                        "java",
                        Runtime.version().toString()))
                .orElseThrow())
        .isEqualTo(1);
    assertThat(m.value("jvm_memory_used_bytes", Map.of("area", "heap"))).isPresent();
    assertThat(m.value("jvm_threads_current")).isPresent();
    assertThat(m.value("process_cpu_seconds_total")).isPresent();
    assertThat(m.value("process_open_fds")).isPresent();
    assertThat(m.promtoolProblems(RequiredBinary.require("promtool", "prometheus"))).isEmpty();
  }
}
