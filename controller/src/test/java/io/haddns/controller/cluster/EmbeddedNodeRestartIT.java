package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.testing.LineListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A single node on its embedded ZooKeeper and embedded DNS server (no external parts at all): it
 * serves the record, and after a restart on the same data directory it still knows what it applied,
 * in which term, before probing has decided anything anew.
 */
class EmbeddedNodeRestartIT {
  private static final RecordKey APP = new RecordKey("app.solo.test", RecordType.A);

  @TempDir Path dir;

  private HaddnsConfig config(LineListener line) throws Exception {
    String yaml =
        """
        cluster:
          name: solo
          sessionTimeout: 2s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - name: a
            address: { static: [%s] }
            probes: [ { tcp: { port: %d } } ]
            interval: 100ms
            timeout: 80ms
        zones:
          - name: solo.test
            provider: { type: embedded, nameservers: [127.0.0.1] }
        records:
          - { name: app.solo.test, ttl: 30, lines: [a] }
        """
            .formatted(dir.resolve("data"), line.address().getHostAddress(), line.port());
    return new ConfigLoader(Map.of())
        .parse(yaml, "solo.yaml", dir)
        .withNode(new NodeConfig("solo-1", "127.0.0.1", 0, "127.0.0.1", 0));
  }

  private static List<String> answer(InetSocketAddress server) throws Exception {
    SimpleResolver r = new SimpleResolver(server);
    r.setTimeout(Duration.ofSeconds(1));
    Message res =
        r.send(
            Message.newQuery(
                Record.newRecord(Name.fromString("app.solo.test."), Type.A, DClass.IN)));
    return res.getSection(Section.ANSWER).stream()
        .filter(x -> x instanceof ARecord)
        .map(x -> ((ARecord) x).getAddress().getHostAddress())
        .toList();
  }

  @Test
  void restartedNodeKeepsItsAppliedStateAndServesIt() throws Exception {
    InetAddress a = InetAddress.getByName("127.0.0.21");
    try (LineListener line = new LineListener(a, LineListener.freePort(a)).open()) {
      HaddnsConfig cfg = config(line);
      long firstEpoch;
      try (NodeRuntime node =
          NodeRuntime.start(cfg, Optional.empty(), InstantSource.system(), "t")) {
        InetSocketAddress dns = node.dnsAddress().orElseThrow();
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(() -> assertThat(answer(dns)).containsExactly("127.0.0.21"));
        firstEpoch = node.node().epoch();
      }

      // The line is gone while the node is down: after the restart, probing needs three failed
      // rounds before it may decide anything; until then the replicated state still holds the
      // record as applied in the earlier term.
      line.down();
      try (NodeRuntime node =
          NodeRuntime.start(cfg, Optional.empty(), InstantSource.system(), "t")) {
        assertThat(node.store().awaitPrimed(Duration.ofSeconds(10))).isTrue();
        AppliedRecord kept = node.store().applied().get(APP);
        assertThat(kept).isNotNull();
        assertThat(kept.epoch()).isEqualTo(firstEpoch);
        assertThat(kept.record().addresses()).containsExactly(a);
        assertThat(answer(node.dnsAddress().orElseThrow())).containsExactly("127.0.0.21");
        await().until(() -> node.node().epoch() > firstEpoch);
        // Fail-static: the only line is down, so the record keeps its last value.
        await()
            .during(Duration.ofMillis(800))
            .atMost(Duration.ofSeconds(3))
            .untilAsserted(
                () ->
                    assertThat(answer(node.dnsAddress().orElseThrow()))
                        .containsExactly("127.0.0.21"));
      }
    }
  }
}
