package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dnsserver.Transport;
import io.haddns.controller.testing.MetricsScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

class DnsMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final DnsMetrics metrics = new DnsMetrics(registry);

  @Test
  void countsAnsweredQueriesByTransportAndLowerCaseRcode() {
    metrics.answered(Rcode.NOERROR, Transport.UDP);
    metrics.answered(Rcode.NOERROR, Transport.UDP);
    metrics.answered(Rcode.NXDOMAIN, Transport.TCP);
    metrics.answered(Rcode.REFUSED, Transport.UDP);
    metrics.answered(Rcode.FORMERR, Transport.UDP);

    MetricsScrape m = MetricsScrape.of(registry);
    assertThat(queries(m, "udp", "noerror")).hasValue(2);
    assertThat(queries(m, "tcp", "nxdomain")).hasValue(1);
    assertThat(queries(m, "udp", "refused")).hasValue(1);
    assertThat(queries(m, "udp", "formerr")).hasValue(1);
    assertThat(queries(m, "tcp", "noerror")).isEmpty();
  }

  @Test
  void countsDroppedPacketsByTransport() {
    metrics.dropped(Transport.UDP);
    metrics.dropped(Transport.UDP);
    metrics.dropped(Transport.TCP);

    MetricsScrape m = MetricsScrape.of(registry);
    assertThat(m.value("haddns_dns_dropped_total", Map.of("transport", "udp"))).hasValue(2);
    assertThat(m.value("haddns_dns_dropped_total", Map.of("transport", "tcp"))).hasValue(1);
  }

  private static java.util.OptionalDouble queries(MetricsScrape m, String transport, String rcode) {
    return m.value("haddns_dns_queries_total", Map.of("transport", transport, "rcode", rcode));
  }
}
