package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.DnsAnswers;
import io.haddns.controller.testing.FreePorts;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.PdnsProcess;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node, three zones: one whose DNS server is black-holed (TCP connections are accepted and
 * never answered, UDP is never answered, so every call hangs until the provider's 20 s timeout),
 * one on a real pdns_server with a wrong API key (a permanent error), and one on a real BIND. The
 * zones listed first fail, and still the BIND zone follows a line failover within seconds.
 */
class ZoneIsolationNodeIT {
  private static final String SECRET_ENV = "HADDNS_IT_TSIG";

  @TempDir Path dir;

  @Test
  void aHangingZoneAndABadKeyZoneDoNotHoldUpTheZoneThatWorks() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetAddress a = InetAddress.getByName("127.0.0.51");
    InetAddress b = InetAddress.getByName("127.0.0.52");
    int port = LineListener.freePort(a, b);
    try (FreePorts.Held hole = FreePorts.hold(loopback);
        BindServer bind = BindServer.start(dir.resolve("bind"), "live.test");
        PdnsProcess pdns = PdnsProcess.start(dir.resolve("pdns"), "badkey.test");
        LineListener lineA = new LineListener(a, port).open();
        LineListener lineB = new LineListener(b, port).open()) {
      Files.writeString(dir.resolve("wrong.key"), "not-" + pdns.apiKey());
      String yaml =
          """
          cluster:
            name: isolation
            sessionTimeout: 3s
            connectionTimeout: 1s
            dataDir: %s
          lines:
            - { name: a, address: { static: [127.0.0.51] }, probes: [ { tcp: { port: %d } } ], interval: 100ms, timeout: 80ms }
            - { name: b, address: { static: [127.0.0.52] }, probes: [ { tcp: { port: %d } } ], interval: 100ms, timeout: 80ms }
          zones:
            - name: stuck.test
              provider:
                type: rfc2136
                server: 127.0.0.1:%d
                timeout: 20s
                tsig: { name: %s, algorithm: hmac-sha256, secretEnv: %s }
              verify: { enabled: false }
            - name: badkey.test
              provider: { type: powerdns, url: "%s", apiKeyFile: wrong.key }
              verify: { enabled: false }
            - name: live.test
              provider:
                type: rfc2136
                server: 127.0.0.1:%d
                timeout: 2s
                tsig: { name: %s, algorithm: hmac-sha256, secretEnv: %s }
              verify: { enabled: false }
          records:
            - { name: app.stuck.test, ttl: 30, lines: [a, b] }
            - { name: app.badkey.test, ttl: 30, lines: [a, b] }
            - { name: app.live.test, ttl: 30, lines: [a, b] }
          """
              .formatted(
                  dir.resolve("data"),
                  port,
                  port,
                  hole.port(),
                  bind.tsigName(),
                  SECRET_ENV,
                  pdns.url(),
                  bind.port(),
                  bind.tsigName(),
                  SECRET_ENV);
      HaddnsConfig cfg =
          new ConfigLoader(Map.of(SECRET_ENV, bind.tsigSecretBase64()))
              .parse(yaml, "isolation.yaml", dir)
              .withNode(new NodeConfig("isolation-node", "127.0.0.1", 0, "127.0.0.1", 0));
      try (NodeRuntime node =
          NodeRuntime.start(cfg, Optional.empty(), InstantSource.system(), "it")) {
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () ->
                    assertThat(DnsAnswers.a(bind, "app.live.test")).containsExactly("127.0.0.51"));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> permanentErrors(node, "badkey.test") >= 1);

        long down = System.nanoTime();
        lineA.down();
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(
                () ->
                    assertThat(DnsAnswers.a(bind, "app.live.test")).containsExactly("127.0.0.52"));
        Duration followed = Duration.ofNanos(System.nanoTime() - down);

        // Neither failing zone got anything applied; the live one did, promptly.
        assertThat(node.store().applied().keySet())
            .extracting(k -> k.name())
            .containsExactly("app.live.test");
        assertThat(followed).isLessThan(Duration.ofSeconds(5));
        assertThat(pdns.query("app.badkey.test", org.xbill.DNS.Type.A)).isEmpty();
      }
    }
  }

  private static double permanentErrors(NodeRuntime node, String zone) {
    return node.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("haddns_apply_errors"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(d -> zone.equals(d.getLabels().get("zone")))
        .filter(d -> "permanent".equals(d.getLabels().get("kind")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }
}
