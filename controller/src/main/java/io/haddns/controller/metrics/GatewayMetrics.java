package io.haddns.controller.metrics;

import io.haddns.controller.gateway.GatewayObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Requests handled by the update gateway, by endpoint and outcome. Both label sets are bounded: the
 * endpoints are fixed and outcomes are report statuses or dyndns2 answer codes.
 */
public final class GatewayMetrics implements GatewayObserver {
  private final Counter requests;
  private final Counter auditShed;

  public GatewayMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("haddns_gateway_requests_total")
            .help("Requests handled by the update gateway, by endpoint and outcome")
            .labelNames("endpoint", "outcome")
            .register(registry);
    auditShed =
        Counter.builder()
            .name("haddns_gateway_audit_shed_total")
            .help("Gateway audit events not written: audit queue full or ZooKeeper unavailable")
            .register(registry);
  }

  @Override
  public void handled(Endpoint endpoint, String outcome) {
    requests.labelValues(endpoint.label(), outcome).inc();
  }

  @Override
  public void auditShed(int events) {
    auditShed.inc(events);
  }
}
