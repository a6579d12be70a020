package io.haddns.controller.metrics;

import io.haddns.controller.dnsserver.DnsServerObserver;
import io.haddns.controller.dnsserver.Transport;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import org.xbill.DNS.Rcode;

/** Queries answered by the embedded DNS server, by transport and response code. */
public final class DnsMetrics implements DnsServerObserver {
  private final Counter answered;
  private final Counter dropped;

  public DnsMetrics(PrometheusRegistry registry) {
    answered =
        Counter.builder()
            .name("haddns_dns_queries_total")
            .help("Queries answered by the embedded DNS server")
            .labelNames("transport", "rcode")
            .register(registry);
    dropped =
        Counter.builder()
            .name("haddns_dns_dropped_total")
            .help("Packets the embedded DNS server dropped without answering (malformed)")
            .labelNames("transport")
            .register(registry);
  }

  @Override
  public void answered(int rcode, Transport transport) {
    answered.labelValues(label(transport), Rcode.string(rcode).toLowerCase(Locale.ROOT)).inc();
  }

  @Override
  public void dropped(Transport transport) {
    dropped.labelValues(label(transport)).inc();
  }

  private static String label(Transport t) {
    return t.name().toLowerCase(Locale.ROOT);
  }
}
