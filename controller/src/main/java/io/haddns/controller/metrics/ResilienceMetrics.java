package io.haddns.controller.metrics;

import io.haddns.controller.provider.CallOutcome;
import io.haddns.controller.provider.CircuitState;
import io.haddns.controller.provider.ProviderCallObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * Provider calls by outcome and each provider's circuit breaker state, the latter read from the
 * breaker at scrape time.
 */
public final class ResilienceMetrics implements ProviderCallObserver {
  private final Counter calls;
  private final Map<String, Supplier<CircuitState>> circuits = new ConcurrentSkipListMap<>();

  public ResilienceMetrics(PrometheusRegistry registry) {
    calls =
        Counter.builder()
            .name("haddns_provider_calls_total")
            .help(
                "Provider calls by operation and outcome (success, transient, permanent, fenced,"
                    + " rejected by an open circuit, timeout, error)")
            .labelNames("zone", "operation", "outcome")
            .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_provider_circuit_state")
        .help("1 for the provider circuit breaker's current state, 0 for the others")
        .labelNames("zone", "state")
        .callback(
            cb ->
                circuits.forEach(
                    (zone, state) -> {
                      CircuitState now = state.get();
                      for (CircuitState s : CircuitState.values()) {
                        cb.call(s == now ? 1 : 0, zone, s.label());
                      }
                    }))
        .register(registry);
  }

  @Override
  public void watchCircuit(String zone, Supplier<CircuitState> state) {
    circuits.put(zone, state);
  }

  @Override
  public void called(String zone, String operation, CallOutcome outcome) {
    calls.labelValues(zone, operation, outcome.label()).inc();
  }
}
