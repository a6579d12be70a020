package io.haddns.controller.metrics;

import io.haddns.probe.ProbeResult;
import io.haddns.probe.engine.ProbeObserver;
import io.haddns.probe.engine.ProbeOutcome;
import io.haddns.probe.engine.RoundVerdict;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * Probe latency, failures and prober faults. Labels are bounded: probe kind ({@code icmp}, {@code
 * tcp}), failure reason and fault kind; never the line or address, which may number in the
 * thousands.
 */
public final class ProbeMetrics implements ProbeObserver {
  private final Histogram latency;
  private final Counter failures;
  private final Counter rounds;
  private final Counter faults;
  private final Histogram lateness;
  private final Counter overruns;

  public ProbeMetrics(PrometheusRegistry registry) {
    latency =
        Histogram.builder()
            .name("haddns_probe_duration_seconds")
            .help("Round-trip time of successful probes")
            .unit(Unit.SECONDS)
            .labelNames("kind")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register(registry);
    failures =
        Counter.builder()
            .name("haddns_probe_failures_total")
            .help("Failed probes by kind and reason")
            .labelNames("kind", "reason")
            .register(registry);
    rounds =
        Counter.builder()
            .name("haddns_probe_rounds_total")
            .help("Finished probe rounds by result")
            .labelNames("result")
            .register(registry);
    faults =
        Counter.builder()
            .name("haddns_probe_faults_total")
            .help(
                "Probe rounds that said nothing about their line because of the prober itself"
                    + " (no descriptors, buffers or memory, local permission, a late round), by kind")
            .labelNames("kind")
            .register(registry);
    lateness =
        Histogram.builder()
            .name("haddns_probe_round_start_lateness_seconds")
            .help("How long after it was due each scheduled probe round started (timing jitter)")
            .unit(Unit.SECONDS)
            .classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1)
            .register(registry);
    overruns =
        Counter.builder()
            .name("haddns_probe_round_overruns_total")
            .help("Probe rounds that finished after their line's next round was due")
            .register(registry);
  }

  @Override
  public void onRoundStarted(String line, Duration late) {
    lateness.observe(late.toNanos() / 1e9);
  }

  @Override
  public void onRoundOverran(String line, Duration overrun) {
    overruns.inc();
  }

  @Override
  public void onProbe(ProbeOutcome outcome) {
    String kind = outcome.spec().kind();
    switch (outcome.result()) {
      case ProbeResult.Success s -> latency.labelValues(kind).observe(s.rtt().toNanos() / 1e9);
      case ProbeResult.Failure f -> failures.labelValues(kind, f.reason().label()).inc();
      case ProbeResult.Fault f -> {}
    }
  }

  @Override
  public void onRound(String line, boolean success) {
    rounds.labelValues(success ? "success" : "failure").inc();
  }

  @Override
  public void onInconclusiveRound(String line, RoundVerdict.Inconclusive verdict) {
    rounds.labelValues("inconclusive").inc();
    faults.labelValues(verdict.kind().label()).inc();
  }
}
