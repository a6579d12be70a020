package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.MetricsScrape;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.FaultKind;
import io.haddns.probe.engine.ProbeOutcome;
import io.haddns.probe.engine.ProbeSpec;
import io.haddns.probe.engine.RoundVerdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ProbeMetrics metrics = new ProbeMetrics(registry);

  @Test
  void countsInconclusiveRoundsByFaultKindAndNeverAsFailures() {
    metrics.onProbe(
        new ProbeOutcome(
            "telecom",
            new ProbeSpec.Tcp(443),
            InetAddress.getLoopbackAddress(),
            new ProbeResult.Fault(FaultKind.DESCRIPTORS, "Too many open files"),
            Duration.ZERO));
    metrics.onInconclusiveRound(
        "telecom", new RoundVerdict.Inconclusive(FaultKind.DESCRIPTORS, "Too many open files"));
    metrics.onInconclusiveRound(
        "unicom", new RoundVerdict.Inconclusive(FaultKind.STARVED, "round started 1500 ms late"));
    metrics.onRound("unicom", false);

    MetricsScrape m = MetricsScrape.of(registry);
    assertThat(m.value("haddns_probe_faults_total", Map.of("kind", "descriptors"))).hasValue(1);
    assertThat(m.value("haddns_probe_faults_total", Map.of("kind", "starved"))).hasValue(1);
    assertThat(m.value("haddns_probe_rounds_total", Map.of("result", "inconclusive"))).hasValue(2);
    assertThat(m.value("haddns_probe_rounds_total", Map.of("result", "failure"))).hasValue(1);
    assertThat(m.samples().stream().filter(s -> s.name().equals("haddns_probe_failures_total")))
        .isEmpty();
  }

  @Test
  void recordsRoundStartLatenessAndOverruns() {
    metrics.onRoundStarted("telecom", Duration.ZERO);
    metrics.onRoundStarted("telecom", Duration.ofMillis(15));
    metrics.onRoundStarted("unicom", Duration.ofMillis(300));
    metrics.onRoundOverran("unicom", Duration.ofMillis(40));

    MetricsScrape m = MetricsScrape.of(registry);
    assertThat(m.value("haddns_probe_round_start_lateness_seconds_count", Map.of())).hasValue(3);
    assertThat(m.value("haddns_probe_round_start_lateness_seconds_bucket", Map.of("le", "0.02")))
        .hasValue(2);
    assertThat(m.value("haddns_probe_round_overruns_total", Map.of())).hasValue(1);
  }

  private static ProbeOutcome outcome(String line, ProbeResult result) {
    return new ProbeOutcome(
        line, new ProbeSpec.Tcp(443), InetAddress.getLoopbackAddress(), result, Duration.ZERO);
  }

  @Test
  void countsProbesPerLineUpToTheCapAndTheOtherLinesTogether() {
    PrometheusRegistry own = new PrometheusRegistry();
    ProbeMetrics capped = new ProbeMetrics(own, Set.of("telecom"));
    capped.onProbe(outcome("telecom", new ProbeResult.Success(Duration.ofMillis(12))));
    capped.onProbe(
        outcome("telecom", new ProbeResult.Failure(ProbeResult.FailureReason.TIMEOUT, "t")));
    capped.onProbe(outcome("unicom", new ProbeResult.Success(Duration.ofMillis(30))));
    capped.onProbe(outcome("mobile", new ProbeResult.Success(Duration.ofMillis(40))));
    capped.onProbe(
        outcome("mobile", new ProbeResult.Fault(FaultKind.DESCRIPTORS, "Too many open files")));

    MetricsScrape m = MetricsScrape.of(own);
    assertThat(
            m.value(
                "haddns_line_probes_total",
                Map.of("line", "telecom", "kind", "tcp", "outcome", "success")))
        .hasValue(1);
    assertThat(
            m.value(
                "haddns_line_probes_total",
                Map.of("line", "telecom", "kind", "tcp", "outcome", "failure")))
        .hasValue(1);
    assertThat(
            m.value(
                "haddns_line_probes_total",
                Map.of("line", "_other", "kind", "tcp", "outcome", "success")))
        .hasValue(2);
    assertThat(
            m.value(
                "haddns_line_probes_total",
                Map.of("line", "_other", "kind", "tcp", "outcome", "fault")))
        .hasValue(1);
    assertThat(
            m.value(
                "haddns_line_probe_duration_seconds_bucket",
                Map.of("line", "telecom", "kind", "tcp", "le", "0.025")))
        .hasValue(1);
    assertThat(
            m.value(
                "haddns_line_probe_duration_seconds_count",
                Map.of("line", "_other", "kind", "tcp")))
        .hasValue(2);
    assertThat(m.samples())
        .noneMatch(s -> s.labels().containsValue("unicom") || s.labels().containsValue("mobile"));
  }
}
