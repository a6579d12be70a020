package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.election.LeadershipChanges.StepDownReason;
import io.haddns.controller.election.LeadershipChanges.TakeoverReason;
import io.haddns.controller.testing.MetricsScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadershipMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final LeadershipMetrics metrics = new LeadershipMetrics(registry);

  @Test
  void everyReasonIsExportedAtZeroBeforeTheFirstEvent() {
    MetricsScrape m = MetricsScrape.of(registry);

    assertThat(m.samples().stream().filter(s -> s.name().equals("haddns_leader_takeovers_total")))
        .extracting(s -> s.labels().get("reason"))
        .containsExactlyInAnyOrder("lease-expired", "port-refused", "port-closed");
    assertThat(m.samples().stream().filter(s -> s.name().equals("haddns_leader_stepdowns_total")))
        .extracting(s -> s.labels().get("reason"))
        .containsExactlyInAnyOrder(
            "latch-removed",
            "epoch-moved",
            "lease-unconfirmed",
            "latch-lost",
            "zookeeper-suspended",
            "zookeeper-lost",
            "zookeeper-read-only");
    assertThat(m.value("haddns_leader_lease_doubts_total")).hasValue(0);
    assertThat(m.samples())
        .filteredOn(s -> s.name().startsWith("haddns_leader_"))
        .allMatch(s -> s.value() == 0);
  }

  @Test
  void countsTakeoversAndStepDownsByReason() {
    metrics.tookOver(TakeoverReason.PORT_REFUSED);
    metrics.tookOver(TakeoverReason.PORT_REFUSED);
    metrics.tookOver(TakeoverReason.LEASE_EXPIRED);
    metrics.steppedDown(StepDownReason.LATCH_REMOVED);
    metrics.leaseDoubted();

    MetricsScrape m = MetricsScrape.of(registry);
    assertThat(m.value("haddns_leader_takeovers_total", Map.of("reason", "port-refused")))
        .hasValue(2);
    assertThat(m.value("haddns_leader_takeovers_total", Map.of("reason", "lease-expired")))
        .hasValue(1);
    assertThat(m.value("haddns_leader_stepdowns_total", Map.of("reason", "latch-removed")))
        .hasValue(1);
    assertThat(m.value("haddns_leader_stepdowns_total", Map.of("reason", "epoch-moved")))
        .hasValue(0);
    assertThat(m.value("haddns_leader_lease_doubts_total")).hasValue(1);
  }
}
