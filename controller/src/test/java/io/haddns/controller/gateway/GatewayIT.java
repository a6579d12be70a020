package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.store.AddressFamily;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineAddressReport;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes (two stores, two gateways) on one real ZooKeeper, agents on real sockets. */
class GatewayIT {
  static final TestAgent AGENT = new TestAgent("office-gw", 1);

  private final InstantSource clock = InstantSource.system();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private TestingServer zk;
  private final List<ZkStateStore> stores = new ArrayList<>();
  private final List<GatewayServer> gateways = new ArrayList<>();

  @BeforeEach
  void startTwoNodes() throws Exception {
    zk = ZkTestServers.server();
    GatewayCredentials credentials =
        new GatewayCredentials(List.of(AGENT.config(List.of("telecom", "unicom"))), List.of());
    for (String node : List.of("node-a", "node-b")) {
      ZkClient client = ZkTestServers.client(zk.getConnectString());
      ZkStateStore store =
          new ZkStateStore(client, new ZkPaths("it"), node, clock, StoreSettings.defaults());
      store.start();
      GatewayServer gateway =
          new GatewayServer(
              GatewaySettings.defaults("127.0.0.1", 0)
                  .withRateLimits(10_000, 10_000, Duration.ofMinutes(1)),
              credentials,
              store,
              store::audit,
              clock,
              node,
              GatewayObserver.NOOP);
      gateway.start();
      closing.add(0, client);
      closing.add(0, store);
      closing.add(0, gateway);
      stores.add(store);
      gateways.add(gateway);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    zk.close();
  }

  private HttpResponse<String> post(GatewayServer g, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + g.address().getPort() + "/api/v1/report"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String address(long sequence) {
    return "198.51.100." + (1 + sequence % 250);
  }

  @Test
  void acknowledgedReportIsInZooKeeperWhenTheAnswerArrives() throws Exception {
    long now = clock.millis();
    ZkClient reader = ZkTestServers.client(zk.getConnectString());
    closing.add(reader);
    assertThat(reader.awaitConnected(Duration.ofSeconds(10))).isTrue();
    for (long seq = 1; seq <= 20; seq++) {
      GatewayServer g = gateways.get((int) (seq % 2));
      HttpResponse<String> r =
          post(g, AGENT.body("telecom", "ipv4", List.of(address(seq)), now, seq));

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      // Read from ZooKeeper itself, not a warm view, right after the acknowledgement.
      byte[] data = reader.curator().getData().forPath("/haddns/it/lines/telecom/address");
      assertThat(new ObjectMapper().readTree(data).path("ipv4").path("sequence").asLong())
          .isEqualTo(seq);
    }
  }

  @Test
  void concurrentReportsThroughTwoNodesAreNeitherReorderedNorLost() throws Exception {
    long now = clock.millis();
    List<Long> sequences = new ArrayList<>();
    for (long s = 1; s <= 60; s++) {
      sequences.add(s);
    }
    Collections.shuffle(sequences, new java.util.Random(42));
    ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    ExecutorService senders = Executors.newFixedThreadPool(6);
    List<Future<?>> sent = new ArrayList<>();
    for (long seq : sequences) {
      sent.add(
          senders.submit(
              () -> {
                HttpResponse<String> r =
                    post(
                        gateways.get((int) (seq % 2)),
                        AGENT.body(
                            seq % 3 == 0 ? "unicom" : "telecom",
                            "ipv4",
                            List.of(address(seq)),
                            now,
                            seq));
                if (r.statusCode() == 200) {
                  accepted.add(seq);
                } else if (r.statusCode() != 409) {
                  unexpected.add(r.statusCode() + " " + r.body());
                }
                return null;
              }));
    }
    for (Future<?> f : sent) {
      f.get();
    }
    senders.shutdown();

    assertThat(unexpected).isEmpty();
    long highest = accepted.stream().mapToLong(Long::longValue).max().orElseThrow();
    // Whatever was accepted last per line is the highest sequence accepted for that line: a
    // lower sequence never overwrote a higher one.
    for (String line : List.of("telecom", "unicom")) {
      long expected =
          accepted.stream()
              .filter(s -> (s % 3 == 0) == line.equals("unicom"))
              .mapToLong(Long::longValue)
              .max()
              .orElse(-1);
      if (expected < 0) {
        continue;
      }
      for (ZkStateStore store : stores) {
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  LineAddressReport r =
                      store.lineAddresses().get(line).report(AddressFamily.IPV4).orElseThrow();
                  assertThat(r.sequence()).isEqualTo(expected);
                  assertThat(r.addresses().get(0).getHostAddress()).isEqualTo(address(expected));
                });
      }
    }
    // The agent-wide sequence ends at the highest accepted one: later replays are refused.
    HttpResponse<String> replay =
        post(gateways.get(0), AGENT.body("telecom", "ipv4", List.of(address(1)), now, highest));
    assertThat(replay.statusCode()).isEqualTo(409);
    assertThat(replay.body()).contains("\"status\":\"stale\"");
  }

  @Test
  void exactRetryOfACommittedReportIsAcknowledgedByAnotherNode() throws Exception {
    long now = clock.millis();
    String report = AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), now, 1);
    assertThat(post(gateways.get(0), report).statusCode()).isEqualTo(200);

    // The agent never saw that answer and sends the same signed report to the next node.
    HttpResponse<String> retry = post(gateways.get(1), report);

    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(retry.body()).contains("\"status\":\"accepted\"");
  }

  @Test
  void writesEveryOutcomeToTheAuditTrail() throws Exception {
    long now = clock.millis();
    post(gateways.get(0), AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), now, 1));
    // The same sequence with other addresses: a replay, refused (an exact retry would be accepted).
    post(gateways.get(1), AGENT.body("telecom", "ipv4", List.of("198.51.100.8"), now, 1));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(stores.get(0).recentAudit(10))
                    .extracting(AuditEvent::type)
                    .contains("address-report", "address-report-rejected"));
  }

  @Test
  void refusesAnOversizedBodyWith413() throws Exception {
    HttpResponse<String> r = post(gateways.get(0), "{\"agent\":\"" + "x".repeat(9000) + "\"}");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("too-large");
  }
}
