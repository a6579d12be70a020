package io.haddns.controller.metrics;

import io.haddns.probe.tcp.TcpProberPool;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The TCP prober's sockets, read at scrape time: held now, its limit, and probes waiting for one
 * (docs/configuration.md, "Connection limits"). Sockets near the limit and probes waiting mean the
 * leader probes more lines than its descriptor reserve allows at this interval and timeout.
 */
public final class TcpProberMetrics {

  public TcpProberMetrics(PrometheusRegistry registry, TcpProberPool prober) {
    GaugeWithCallback.builder()
        .name("haddns_probe_tcp_sockets")
        .help("Sockets the TCP prober holds now: probes in flight and sockets not yet released")
        .callback(cb -> cb.call(prober.sockets()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_probe_tcp_sockets_limit")
        .help("The most sockets the TCP prober holds at once (three quarters of the reserve)")
        .callback(cb -> cb.call(prober.maxSockets()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_probe_tcp_waiting")
        .help("TCP probes waiting for a socket now (each waits at most half its timeout)")
        .callback(cb -> cb.call(prober.waiting()))
        .register(registry);
  }
}
