package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.testing.LineListener;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A whole node with a dry-run zone: the leader plans the record, shows the plan in its status API
 * and metrics, and writes nothing — no applied state, and the node's embedded server, serving the
 * zone, does not answer the record.
 */
class DryRunNodeIT {
  @TempDir Path dir;

  @Test
  void dryRunZonePlansAndShowsTheChangeButWritesNothing() throws Exception {
    InetAddress a = InetAddress.getByName("127.0.0.41");
    try (LineListener line = new LineListener(a, LineListener.freePort(a)).open()) {
      String yaml =
          """
          dryRun: true
          cluster:
            name: dry
            sessionTimeout: 2s
            connectionTimeout: 1s
            dataDir: %s
          lines:
            - { name: a, address: { static: [127.0.0.41] }, probes: [ { tcp: { port: %d } } ], interval: 100ms, timeout: 80ms }
          zones:
            - name: dry.test
              provider: { type: embedded, nameservers: [127.0.0.1] }
          records:
            - { name: app.dry.test, ttl: 30, lines: [a] }
          """
              .formatted(dir.resolve("data"), line.port());
      HaddnsConfig cfg =
          new ConfigLoader(Map.of())
              .parse(yaml, "dry.yaml", dir)
              .withNode(new NodeConfig("dry-1", "127.0.0.1", 0, "127.0.0.1", 0));
      try (NodeRuntime node =
          NodeRuntime.start(cfg, Optional.empty(), InstantSource.system(), "it")) {
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(node.node().zoneReports().getFirst().planned())
                        .singleElement()
                        .asString()
                        .contains("create", "app.dry.test", "127.0.0.41"));

        String status =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:"
                                    + node.admin().address().getPort()
                                    + "/api/v1/status"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(status).contains("\"dryRun\" : true").contains("create app.dry.test/A");
        // The node's own server serves the zone, and has no record to answer with.
        InetSocketAddress dns = node.dnsAddress().orElseThrow();
        Message soa = query(dns, "dry.test.", Type.SOA);
        assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(soa.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(soa.getSection(Section.ANSWER)).hasSize(1);
        Message app = query(dns, "app.dry.test.", Type.A);
        assertThat(app.getSection(Section.ANSWER)).as("answers for app.dry.test/A").isEmpty();
        assertThat(app.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(plannedCreates(node)).isEqualTo(1.0);
        assertThat(node.store().applied()).isEmpty();
        assertThat(node.node().zoneReports().getFirst())
            .extracting(z -> z.dryRun())
            .isEqualTo(true);
      }
    }
  }

  private static Message query(InetSocketAddress server, String name, int type) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  private static double plannedCreates(NodeRuntime node) {
    return node.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("haddns_dry_run_planned_changes"))
        .flatMap(s -> ((GaugeSnapshot) s).getDataPoints().stream())
        .filter(d -> d.getLabels().get("change").equals("create"))
        .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue)
        .sum();
  }
}
