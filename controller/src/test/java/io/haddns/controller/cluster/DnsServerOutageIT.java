package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.DnsAnswers;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.KnotServer;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.SingleNodeConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The DNS server is down when a line fails: the node keeps retrying the change with backoff and
 * applies it as soon as the server is back, with nothing dropped. Against real BIND and Knot. The
 * resync is an hour away, so only the retry chain can deliver the change within the test.
 */
class DnsServerOutageIT {
  @TempDir Path dir;

  interface ServerStarter {
    DnsTestServer start(Path dir, String zone) throws Exception;
  }

  static Stream<Arguments> servers() {
    return Stream.of(
        Arguments.of(Named.of("bind", (ServerStarter) (d, z) -> BindServer.start(d, z))),
        Arguments.of(Named.of("knot", (ServerStarter) (d, z) -> KnotServer.start(d, z))));
  }

  @ParameterizedTest
  @MethodSource("servers")
  void changeMadeWhileServerIsDownIsAppliedWhenItReturns(ServerStarter starter) throws Exception {
    InetAddress a = InetAddress.getByName("127.0.0.21");
    InetAddress b = InetAddress.getByName("127.0.0.22");
    int port = LineListener.freePort(a, b);
    try (TestingServer zk = ZkTestServers.server();
        DnsTestServer dns = starter.start(dir.resolve("dns"), "outage.test");
        LineListener lineA = new LineListener(a, port).open();
        LineListener lineB = new LineListener(b, port).open()) {
      SingleNodeConfig cfg =
          new SingleNodeConfig(zk.getConnectString(), dns)
              .line("a", "127.0.0.21", "{ tcp: { port: %d } }".formatted(port))
              .line("b", "127.0.0.22", "{ tcp: { port: %d } }".formatted(port))
              .resyncInterval("1h");
      try (NodeRuntime node =
          NodeRuntime.start(cfg.load(dir), Optional.empty(), InstantSource.system(), "t")) {
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> assertThat(DnsAnswers.a(dns, cfg.record())).containsExactly("127.0.0.21"));

        dns.stop();
        lineA.down();
        // Long enough for the line to be decided down and several applies to fail.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    node.store().health().containsKey("a")
                        && node.store().health().get("a").health().label().equals("down"));
        Thread.sleep(1500);
        dns.start();

        // Backoff from 200 ms, doubling, +-50 %, at most 30 s; the provider's breaker, open after
        // half of 5+ calls failed, lets a call through 10 s after it opened: the first retry after
        // that applies the change, at the latest 40 s after the breaker opened.
        await()
            .atMost(Duration.ofSeconds(45))
            .untilAsserted(
                () -> assertThat(DnsAnswers.a(dns, cfg.record())).containsExactly("127.0.0.22"));
        // The applied state is recorded after the server accepted the UPDATE, and the warm view
        // shows it a moment later.
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(
                () ->
                    assertThat(node.store().applied().values())
                        .anySatisfy(r -> assertThat(r.record().addresses()).containsExactly(b)));
        // The retry path, not a resync or a new trigger, delivered it: retries failed while the
        // server was away, and a retry applied the change.
        MetricsScrape metrics = MetricsScrape.of(node.registry());
        assertThat(metrics.value("haddns_reconciles_total", retries("retry")).orElse(0))
            .as("transient failures of retries while the server was down")
            .isGreaterThanOrEqualTo(2);
        assertThat(metrics.value("haddns_reconciles_total", retries("applied"))).hasValue(1.0);
        assertThat(metrics.value("haddns_reconciles_total", Map.of("trigger", "resync"))).isEmpty();
      }
    }
  }

  private static Map<String, String> retries(String result) {
    return Map.of("zone", "outage.test", "trigger", "retry", "result", result);
  }
}
