package io.haddns.controller.metrics;

import io.haddns.probe.ProbeResult;
import io.haddns.probe.engine.ProbeObserver;
import io.haddns.probe.engine.ProbeOutcome;
import io.haddns.probe.engine.ProbeSpec;
import io.haddns.probe.engine.RoundVerdict;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probe latency, failures and prober faults. Labels are bounded: probe kind ({@code icmp}, {@code
 * tcp}), failure reason and fault kind; never the address. The per-line families ({@code
 * haddns_line_probes_total}, {@code haddns_line_probe_duration_seconds}) carry the line only for
 * the lines given at construction (at most {@code metrics.probeLines}); every other line is counted
 * under {@value #OTHER} (docs/operations.md, "Metrics"). The histograms are classic only and keep
 * no exemplars: at 20,000 probes a second the native histograms' buckets, which the text format
 * never shows, were a tenth of the probe engine thread's time.
 */
public final class ProbeMetrics implements ProbeObserver {
  /** The {@code line} label of the lines beyond the cap. */
  public static final String OTHER = "_other";

  private final Set<String> labelled;
  private final Counter lineProbes;
  private final Histogram lineLatency;
  private final Histogram latency;
  private final Counter failures;
  private final Counter rounds;
  private final Counter faults;
  private final Histogram lateness;
  private final Counter overruns;
  // The data points of each line label and probe kind, looked up once: at 20,000 probes a second
  // the label lookups (a list of the label values per call) were a fifth of what probing allocated.
  private final Map<String, LinePoints[]> linePoints = new ConcurrentHashMap<>();
  private final DistributionDataPoint[] kindLatency = new DistributionDataPoint[KINDS];

  private static final int KINDS = 2;

  /**
   * One line label's data points for one probe kind, each created when first needed (a line that
   * never failed shows no failure series, as before the cache).
   */
  private final class LinePoints {
    private final String line;
    private final String kind;
    private DistributionDataPoint latency;
    private CounterDataPoint success;
    private CounterDataPoint failure;
    private CounterDataPoint fault;

    LinePoints(String line, String kind) {
      this.line = line;
      this.kind = kind;
    }

    DistributionDataPoint latency() {
      if (latency == null) {
        latency = lineLatency.labelValues(line, kind);
      }
      return latency;
    }

    CounterDataPoint success() {
      if (success == null) {
        success = lineProbes.labelValues(line, kind, "success");
      }
      return success;
    }

    CounterDataPoint failure() {
      if (failure == null) {
        failure = lineProbes.labelValues(line, kind, "failure");
      }
      return failure;
    }

    CounterDataPoint fault() {
      if (fault == null) {
        fault = lineProbes.labelValues(line, kind, "fault");
      }
      return fault;
    }
  }

  /** Without per-line labels: every line is counted under {@value #OTHER}. */
  public ProbeMetrics(PrometheusRegistry registry) {
    this(registry, Set.of());
  }

  /**
   * @param labelledLines the lines whose per-line probe metrics carry their own name
   */
  public ProbeMetrics(PrometheusRegistry registry, Set<String> labelledLines) {
    labelled = Set.copyOf(labelledLines);
    lineProbes =
        Counter.builder()
            .name("haddns_line_probes_total")
            .help(
                "Probes by line (lines beyond metrics.probeLines as _other), kind and outcome"
                    + " (success, failure, fault)")
            .labelNames("line", "kind", "outcome")
            .register(registry);
    lineLatency =
        Histogram.builder()
            .name("haddns_line_probe_duration_seconds")
            .help(
                "Round-trip time of successful probes by line (lines beyond metrics.probeLines as"
                    + " _other) and kind")
            .unit(Unit.SECONDS)
            .labelNames("line", "kind")
            .classicOnly()
            .withoutExemplars()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
            .register(registry);
    latency =
        Histogram.builder()
            .name("haddns_probe_duration_seconds")
            .help("Round-trip time of successful probes")
            .unit(Unit.SECONDS)
            .labelNames("kind")
            .classicOnly()
            .withoutExemplars()
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
            .classicOnly()
            .withoutExemplars()
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
    int k = kindIndex(outcome.spec());
    String line = labelled.contains(outcome.line()) ? outcome.line() : OTHER;
    LinePoints points = points(line, k, kind);
    switch (outcome.result()) {
      case ProbeResult.Success s -> {
        double seconds = s.rtt().toNanos() / 1e9;
        DistributionDataPoint all = kindLatency[k];
        if (all == null) {
          all = latency.labelValues(kind);
          kindLatency[k] = all;
        }
        all.observe(seconds);
        points.latency().observe(seconds);
        points.success().inc();
      }
      case ProbeResult.Failure f -> {
        failures.labelValues(kind, f.reason().label()).inc();
        points.failure().inc();
      }
      case ProbeResult.Fault f -> points.fault().inc();
    }
  }

  private static int kindIndex(ProbeSpec spec) {
    return switch (spec) {
      case ProbeSpec.Icmp i -> 0;
      case ProbeSpec.Tcp t -> 1;
    };
  }

  /**
   * The data points of {@code line} and the kind. Called on the probe engine's one thread; on a
   * race the labels still resolve to the same data points.
   */
  private LinePoints points(String line, int k, String kind) {
    LinePoints[] byKind = linePoints.computeIfAbsent(line, l -> new LinePoints[KINDS]);
    LinePoints p = byKind[k];
    if (p == null) {
      p = new LinePoints(line, kind);
      byKind[k] = p;
    }
    return p;
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
