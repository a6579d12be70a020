package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway whose ZooKeeper connection loses the answer to a commit that ZooKeeper carried out: the
 * agent is told the outcome is unknown, and its retry of the same report is acknowledged.
 */
class GatewayUnknownOutcomeIT {
  private static final TestAgent AGENT = new TestAgent("office-gw", 1);

  private final InstantSource clock = InstantSource.system();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private TestingServer zk;
  private TcpProxy proxy;
  private GatewayServer gateway;

  @BeforeEach
  void start() throws Exception {
    zk = ZkTestServers.server();
    proxy = new TcpProxy("127.0.0.1", zk.getPort());
    ZkClient client = ZkTestServers.client(proxy.address());
    ZkStateStore store =
        new ZkStateStore(
            client,
            new ZkPaths("it"),
            "node-a",
            clock,
            StoreSettings.defaults().withOperationTimeout(Duration.ofMillis(1500)));
    store.start();
    gateway =
        new GatewayServer(
            GatewaySettings.builder("127.0.0.1", 0)
                .rateLimits(10_000, 10_000, Duration.ofMinutes(1))
                .build(),
            new GatewayCredentials(List.of(AGENT.config(List.of("telecom"), true)), List.of()),
            store,
            store::audit,
            clock,
            "node-a",
            GatewayObserver.NOOP);
    gateway.start();
    closing.add(gateway);
    closing.add(store);
    closing.add(client);
    closing.add(proxy);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    zk.close();
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + gateway.address().getPort() + GatewayHandler.REPORT_PATH))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersUnknownWhenTheCommitsAnswerIsLostAndAcknowledgesTheExactRetry() throws Exception {
    long now = clock.millis();
    assertThat(post(AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), now, now)).statusCode())
        .isEqualTo(200);
    String report = AGENT.body("telecom", "ipv4", List.of("198.51.100.8"), now, now + 1);

    // ZooKeeper gets the transaction and commits it; its answer never comes back.
    proxy.silenceReplies();
    HttpResponse<String> lost = post(report);

    assertThat(lost.statusCode()).as(lost.body()).isEqualTo(503);
    assertThat(lost.body())
        .contains("\"status\":\"unknown\"")
        .contains("outcome unknown: retry the same report");
    ZkClient reader = ZkTestServers.client(zk.getConnectString());
    closing.add(0, reader);
    assertThat(reader.awaitConnected(Duration.ofSeconds(10))).isTrue();
    byte[] agent = reader.curator().getData().forPath("/haddns/it/agents/" + AGENT.id);
    assertThat(new ObjectMapper().readTree(agent).path("sequence").asLong()).isEqualTo(now + 1);

    // The agent retries the very same report once the node is connected again: acknowledged,
    // never refused as stale.
    List<Integer> retries = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              HttpResponse<String> retry = post(report);
              retries.add(retry.statusCode());
              assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
              assertThat(retry.body()).contains("\"status\":\"accepted\"");
            });
    assertThat(retries).doesNotContain(409);
  }
}
