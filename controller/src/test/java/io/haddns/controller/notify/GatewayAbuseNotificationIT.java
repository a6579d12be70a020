package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.GatewayListen;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.ZkDigestSecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway abuse on a real two-node cluster (real ZooKeeper, both nodes' gateways over real HTTP):
 * failed dyndns2 logins are counted where they land, the node's summary goes to ZooKeeper, and the
 * leader tells a real webhook once per source and window, whichever node was hit.
 */
class GatewayAbuseNotificationIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "router-password-1";
  private static final String WRONG = "guessed-Secret-42";

  @TempDir Path dir;
  private TestingServer zk;
  private ReceiverServer hook;
  private final List<NodeRuntime> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final NotificationCodec codec = new NotificationCodec();

  @BeforeEach
  void start() throws Exception {
    zk = ZkTestServers.server();
    hook = ReceiverServer.ok();
    Files.writeString(
        dir.resolve("router1.hash"),
        new String(BCrypt.withDefaults().hash(6, PASSWORD.toCharArray()), StandardCharsets.UTF_8));
    for (int i = 1; i <= 2; i++) {
      nodes.add(node(i));
    }
  }

  private NodeRuntime node(int i) throws Exception {
    String yaml =
        """
        cluster:
          name: abuse
          zookeeper: %s
          zookeeperAuth: %s
          sessionTimeout: 3s
          connectionTimeout: 2s
        lines:
          - name: home
            address: { agent: router1 }
            probes: [ { tcp: { port: 9 } } ]
            interval: 200ms
            timeout: 100ms
        zones:
          - name: abuse.test
            provider: { type: embedded, nameservers: [127.0.0.1] }
        records:
          - { name: home.abuse.test, ttl: 30, lines: [home] }
        dyndns2:
          - { username: router1, passwordHashFile: router1.hash, hostnames: [home.abuse.test], line: home, allowPrivate: true }
        node:
          gateway: { host: 127.0.0.1, port: 0 }
        notifications:
          pollInterval: 50ms
          gatewayAbuse: { threshold: 5, window: 24h, publishInterval: 200ms }
          receivers:
            - { name: hook, type: webhook, url: "%s", timeout: 2s }
          routes:
            - { receivers: [hook], kinds: [gateway-abuse], groupInterval: 0s }
        """
            .formatted(zk.getConnectString(), ZkDigestSecret.yaml(dir), hook.url("/abuse"));
    HaddnsConfig cfg = new ConfigLoader(Map.of()).parse(yaml, "abuse.yaml", dir);
    GatewayListen gateway = cfg.node().gateway();
    return NodeRuntime.start(
        cfg.withNode(new NodeConfig("abuse-" + i, "127.0.0.1", 0, "127.0.0.4" + i, 0, gateway)),
        Optional.empty(),
        InstantSource.system(),
        "it");
  }

  @AfterEach
  void stop() throws Exception {
    for (NodeRuntime n : nodes) {
      n.close();
    }
    hook.close();
    zk.close();
  }

  private NodeRuntime leader() {
    return nodes.stream().filter(n -> n.node().isLeader()).findFirst().orElseThrow();
  }

  private NodeRuntime follower() {
    return nodes.stream().filter(n -> !n.node().isLeader()).findFirst().orElseThrow();
  }

  /** {@code count} dyndns2 updates with a wrong password over real HTTP; their answers. */
  private List<String> badLogins(NodeRuntime node, int count) throws Exception {
    int port = node.gatewayAddress().orElseThrow().getPort();
    String auth =
        Base64.getEncoder().encodeToString(("router1:" + WRONG).getBytes(StandardCharsets.UTF_8));
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port
                              + "/nic/update?hostname=home.abuse.test&myip=192.0.2.9"))
                  .header("Authorization", "Basic " + auth)
                  .header("User-Agent", "haddns-it/1.0")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      answers.add(r.body().strip());
    }
    return answers;
  }

  private List<JsonNode> abuseEvents() {
    List<JsonNode> out = new ArrayList<>();
    for (ReceiverServer.Request r : hook.requests()) {
      codec.tree(r.body()).path("events").forEach(out::add);
    }
    return out.stream().filter(e -> e.path("kind").asText().equals("gateway-abuse")).toList();
  }

  @Test
  void repeatedBadLoginsAtAFollowerAndThenAtTheLeaderAreToldOnce() throws Exception {
    await().atMost(WAIT).until(() -> nodes.stream().filter(n -> n.node().isLeader()).count() == 1);
    NodeRuntime follower = follower();
    NodeRuntime leader = leader();
    String followerId = "abuse-" + (nodes.indexOf(follower) + 1);

    assertThat(badLogins(follower, 12))
        .contains("badauth")
        .allMatch(a -> a.equals("badauth") || a.equals("abuse"));

    await().atMost(WAIT).until(() -> abuseEvents().size() == 1);
    JsonNode event = abuseEvents().get(0);
    assertThat(event.path("severity").asText()).isEqualTo("warning");
    assertThat(event.path("subject").asText()).isEqualTo("127.0.0.1 auth");
    JsonNode details = event.path("details");
    assertThat(details.path("category").asText()).isEqualTo("auth");
    assertThat(details.path("source").asText()).isEqualTo("127.0.0.1");
    assertThat(details.path("nodes").asText()).isEqualTo(followerId);
    assertThat(details.path("refusals").asLong()).isGreaterThanOrEqualTo(5);
    assertThat(details.path("outcomes").asText()).contains("badauth:");

    // The same source at the leader, in the same window: already told.
    assertThat(badLogins(leader, 12)).allMatch(a -> a.equals("badauth") || a.equals("abuse"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                leader.store().refusals().summaries().stream()
                        .map(RefusalSummary::decode)
                        .filter(s -> !s.entries().isEmpty())
                        .count()
                    == 2);
    // Several leader rounds after both summaries are in ZooKeeper, and the outbox drained.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> abuseEvents().size() == 1 && leader.store().outbox().counts().pending() == 0);
    assertThat(hook.requests()).noneMatch(r -> r.text().contains(WRONG));
    assertThat(leader.store().refusals().notices()).hasSize(1);
  }
}
