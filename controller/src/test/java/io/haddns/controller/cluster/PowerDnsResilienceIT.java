package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.reconcile.ZoneReport;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.testing.AppliedStates;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.PdnsProcess;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * A whole node against a real pdns_server through its HTTP API: a change made while pdns is down is
 * applied by the reconciler's own retries when it returns; a record changed behind haddns' back is
 * put back by the periodic resync; a dry-run zone next to a normal one is never written.
 */
class PowerDnsResilienceIT {
  @TempDir Path dir;
  private PdnsProcess pdns;
  private LineListener lineA;
  private LineListener lineB;
  private NodeRuntime node;

  @BeforeEach
  void lines() throws IOException {
    InetAddress a = InetAddress.getByName("127.0.0.61");
    InetAddress b = InetAddress.getByName("127.0.0.62");
    int port = LineListener.freePort(a, b);
    lineA = new LineListener(a, port).open();
    lineB = new LineListener(b, port).open();
  }

  @AfterEach
  void stop() throws IOException {
    if (node != null) {
      node.close();
    }
    lineA.close();
    lineB.close();
    if (pdns != null) {
      pdns.close();
    }
  }

  @Test
  void aFailoverMadeWhilePdnsIsDownIsAppliedByTheRetriesWhenItReturns() throws Exception {
    pdns = PdnsProcess.start(dir.resolve("pdns"), "retry.test");
    // No resync within the test: only the retry chain can bring the change.
    node = start("10m", zone("retry.test", false));
    await().atMost(Duration.ofSeconds(20)).until(() -> answer("app.retry.test").equals(a()));

    pdns.stop();
    lineA.down();
    await().atMost(Duration.ofSeconds(20)).until(() -> retries("retry.test") >= 3);
    pdns.start();

    await().atMost(Duration.ofSeconds(45)).until(() -> answer("app.retry.test").equals(b()));
    AppliedStates.awaitOnlyRecordAt(node, lineB.address());
    assertThat(reconciles("retry.test", "applied")).isEqualTo(2);
  }

  @Test
  void aRecordChangedBehindHaddnsBackInPdnsIsRestoredByTheResync() throws Exception {
    pdns = PdnsProcess.start(dir.resolve("pdns"), "drift.test");
    node = start("1s", zone("drift.test", false));
    await().atMost(Duration.ofSeconds(20)).until(() -> answer("app.drift.test").equals(a()));

    assertThat(
            pdns.api(
                    "PATCH",
                    "/api/v1/servers/localhost/zones/drift.test.",
                    "{\"rrsets\":[{\"name\":\"app.drift.test.\",\"type\":\"A\",\"ttl\":30,"
                        + "\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"203.0.113.99\","
                        + "\"disabled\":false}]}]}")
                .statusCode())
        .isEqualTo(204);
    assertThat(answer("app.drift.test")).containsExactly("203.0.113.99");

    await().atMost(Duration.ofSeconds(15)).until(() -> answer("app.drift.test").equals(a()));
    assertThat(node.node().zoneReports().getFirst().foreign()).isEmpty();
  }

  @Test
  void aDryRunZoneIsNeverWrittenWhileTheOtherZoneOfTheNodeIs() throws Exception {
    pdns = PdnsProcess.start(dir.resolve("pdns"), "dry.test", "live.test");
    node = start("1s", zone("dry.test", true) + zone("live.test", false));

    await().atMost(Duration.ofSeconds(20)).until(() -> answer("app.live.test").equals(a()));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(dryReport().planned())
                    .singleElement()
                    .asString()
                    .contains("create", "app.dry.test", "127.0.0.61"));
    assertThat(dryReport().dryRun()).isTrue();
    lineA.down();
    await().atMost(Duration.ofSeconds(10)).until(() -> answer("app.live.test").equals(b()));

    assertThat(answer("app.dry.test")).isEmpty();
    assertThat(rrsetTypes("dry.test.")).containsOnly("SOA", "NS");
    assertThat(rrsetTypes("live.test.")).contains("A");
    assertThat(node.store().applied().keySet())
        .extracting(k -> k.name())
        .containsExactly("app.live.test");
  }

  private ZoneReport dryReport() {
    return node.node().zoneReports().stream()
        .filter(z -> z.zone().equals("dry.test"))
        .findFirst()
        .orElseThrow();
  }

  private String zone(String name, boolean dryRun) {
    return """
          - name: %s
            dryRun: %s
            provider: { type: powerdns, url: "%s", apiKeyFile: pdns.key, timeout: 1s }
            verify: { nameservers: ["127.0.0.1:%d"], timeout: 5s }
        """
        .formatted(name, dryRun, pdns.url(), pdns.dnsPort());
  }

  private NodeRuntime start(String resync, String zones) throws Exception {
    Files.writeString(dir.resolve("pdns.key"), pdns.apiKey());
    List<String> records = new ArrayList<>();
    for (String line : zones.split("\n")) {
      if (line.strip().startsWith("- name: ")) {
        String zone = line.strip().substring("- name: ".length());
        records.add("  - { name: app.%s, ttl: 30, lines: [a, b] }".formatted(zone));
      }
    }
    String yaml =
        """
        cluster:
          name: pdns-resilience
          sessionTimeout: 3s
          connectionTimeout: 1s
          resyncInterval: %s
          dataDir: %s
        lines:
          - { name: a, address: { static: [127.0.0.61] }, probes: [ { tcp: { port: %d } } ], interval: 100ms, timeout: 80ms }
          - { name: b, address: { static: [127.0.0.62] }, probes: [ { tcp: { port: %d } } ], interval: 100ms, timeout: 80ms }
        zones:
        %s
        records:
        %s
        """
            .formatted(
                resync,
                dir.resolve("data"),
                lineA.port(),
                lineB.port(),
                zones.stripTrailing(),
                String.join("\n", records));
    HaddnsConfig cfg =
        new ConfigLoader(Map.of())
            .parse(yaml, "pdns.yaml", dir)
            .withNode(new NodeConfig("pdns-node", "127.0.0.1", 0, "127.0.0.1", 0));
    return NodeRuntime.start(cfg, Optional.empty(), InstantSource.system(), "it");
  }

  private List<String> a() {
    return List.of(lineA.address().getHostAddress());
  }

  private List<String> b() {
    return List.of(lineB.address().getHostAddress());
  }

  private List<String> answer(String name) throws IOException {
    return pdns.query(name, Type.A).stream()
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }

  private List<String> rrsetTypes(String zone) throws IOException {
    JsonNode body =
        new ObjectMapper()
            .readTree(pdns.api("GET", "/api/v1/servers/localhost/zones/" + zone, null).body());
    List<String> types = new ArrayList<>();
    body.path("rrsets").forEach(rs -> types.add(rs.path("type").asText()));
    return types;
  }

  private double retries(String zone) {
    return reconciles(zone, "retry");
  }

  private double reconciles(String zone, String result) {
    return node.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("haddns_reconciles"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(d -> zone.equals(d.getLabels().get("zone")))
        .filter(d -> result.equals(d.getLabels().get("result")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }
}
