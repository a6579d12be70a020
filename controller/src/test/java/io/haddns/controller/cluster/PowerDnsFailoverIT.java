package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.testing.AppliedStates;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.PdnsProcess;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * A whole node writing through the PowerDNS HTTP API to a real pdns_server: the record follows a
 * failing line, and the verification step sees each change answered by pdns itself and records how
 * long that took.
 */
class PowerDnsFailoverIT {
  @TempDir Path dir;
  private PdnsProcess pdns;
  private LineListener lineA;
  private LineListener lineB;
  private NodeRuntime node;

  @AfterEach
  void stop() throws IOException {
    if (node != null) {
      node.close();
    }
    if (lineA != null) {
      lineA.close();
    }
    if (lineB != null) {
      lineB.close();
    }
    if (pdns != null) {
      pdns.close();
    }
  }

  @Test
  void lineFailureMovesTheRecordInPowerDnsAndVerificationSeesIt() throws Exception {
    pdns = PdnsProcess.start(dir.resolve("pdns"), "failover.test");
    Files.writeString(dir.resolve("pdns.key"), pdns.apiKey());
    InetAddress a = InetAddress.getByName("127.0.0.31");
    InetAddress b = InetAddress.getByName("127.0.0.32");
    int port = LineListener.freePort(a, b);
    lineA = new LineListener(a, port).open();
    lineB = new LineListener(b, port).open();
    String yaml =
        """
        cluster:
          name: pdns-failover
          sessionTimeout: 3s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - { name: a, address: { static: [127.0.0.31] }, probes: [ { tcp: { port: %d } } ], interval: 100ms, timeout: 80ms }
          - { name: b, address: { static: [127.0.0.32] }, probes: [ { tcp: { port: %d } } ], interval: 100ms, timeout: 80ms }
        zones:
          - name: failover.test
            provider: { type: powerdns, url: "%s", apiKeyFile: pdns.key }
            verify: { nameservers: ["127.0.0.1:%d"], timeout: 5s }
        records:
          - { name: app.failover.test, ttl: 30, lines: [a, b] }
        """
            .formatted(dir.resolve("data"), port, port, pdns.url(), pdns.dnsPort());
    HaddnsConfig cfg =
        new ConfigLoader(Map.of())
            .parse(yaml, "pdns.yaml", dir)
            .withNode(new NodeConfig("pdns-node", "127.0.0.1", 0, "127.0.0.1", 0));
    node = NodeRuntime.start(cfg, Optional.empty(), InstantSource.system(), "it");

    await().atMost(Duration.ofSeconds(20)).until(() -> answer().equals(List.of("127.0.0.31")));
    await().atMost(Duration.ofSeconds(5)).until(() -> visibleCount() >= 1);

    lineA.down();

    await().atMost(Duration.ofSeconds(10)).until(() -> answer().equals(List.of("127.0.0.32")));
    await().atMost(Duration.ofSeconds(5)).until(() -> visibleCount() >= 2);
    AppliedStates.awaitOnlyRecordAt(node, b);
  }

  @Test
  void aForeignRecordIsLeftAloneUntilTheRecordAdoptsIt() throws Exception {
    pdns = PdnsProcess.start(dir.resolve("pdns"), "failover.test");
    Files.writeString(dir.resolve("pdns.key"), pdns.apiKey());
    assertThat(
            pdns.api(
                    "PATCH",
                    "/api/v1/servers/localhost/zones/failover.test.",
                    "{\"rrsets\":[{\"name\":\"app.failover.test.\",\"type\":\"A\",\"ttl\":300,"
                        + "\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"203.0.113.80\","
                        + "\"disabled\":false}]}]}")
                .statusCode())
        .isEqualTo(204);
    InetAddress a = InetAddress.getByName("127.0.0.31");
    lineA = new LineListener(a, LineListener.freePort(a)).open();

    node = start(lineA.port(), false);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !node.node().zoneReports().getFirst().foreign().isEmpty());
    assertThat(answer()).containsExactly("203.0.113.80");
    assertThat(node.store().applied()).isEmpty();
    assertThat(node.store().recentAudit(20)).anyMatch(e -> e.type().equals("foreign-record"));
    node.close();

    node = start(lineA.port(), true);
    await().atMost(Duration.ofSeconds(20)).until(() -> answer().equals(List.of("127.0.0.31")));
    assertThat(node.node().zoneReports().getFirst().foreign()).isEmpty();
  }

  private NodeRuntime start(int port, boolean adopt) throws Exception {
    String yaml =
        """
        cluster:
          name: pdns-adopt
          sessionTimeout: 3s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - { name: a, address: { static: [127.0.0.31] }, probes: [ { tcp: { port: %d } } ], interval: 100ms, timeout: 80ms }
        zones:
          - name: failover.test
            provider: { type: powerdns, url: "%s", apiKeyFile: pdns.key }
            verify: { nameservers: ["127.0.0.1:%d"], timeout: 5s }
        records:
          - { name: app.failover.test, ttl: 30, lines: [a], adopt: %s }
        """
            .formatted(dir.resolve("data"), port, pdns.url(), pdns.dnsPort(), adopt);
    HaddnsConfig cfg =
        new ConfigLoader(Map.of())
            .parse(yaml, "pdns.yaml", dir)
            .withNode(new NodeConfig("pdns-node", "127.0.0.1", 0, "127.0.0.1", 0));
    return NodeRuntime.start(cfg, Optional.empty(), InstantSource.system(), "it");
  }

  private List<String> answer() throws IOException {
    return pdns.query("app.failover.test", Type.A).stream()
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }

  private long visibleCount() {
    return node.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("haddns_apply_visible_seconds"))
        .flatMap(s -> ((HistogramSnapshot) s).getDataPoints().stream())
        .mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount)
        .sum();
  }
}
