package io.haddns.controller.metrics;

import io.haddns.probe.engine.HealthTransition;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Consumer;

/** Counts line health transitions decided by this node while it leads. */
public final class TransitionMetrics implements Consumer<HealthTransition> {
  private final Counter transitions;

  public TransitionMetrics(PrometheusRegistry registry) {
    transitions =
        Counter.builder()
            .name("haddns_line_transitions_total")
            .help("Line health transitions decided by this node while leading")
            .labelNames("line", "to")
            .register(registry);
  }

  @Override
  public void accept(HealthTransition t) {
    transitions.labelValues(t.line(), t.to().label()).inc();
  }
}
