package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.config.Dyndns2Config;
import io.haddns.controller.config.PasswordHash;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.store.AddressFamily;
import io.haddns.controller.store.LineAddressReport;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.LogCapture;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
        new GatewayCredentials(
            List.of(AGENT.config(List.of("telecom", "unicom"), true)), List.of());
    for (String node : List.of("node-a", "node-b")) {
      ZkClient client = ZkTestServers.client(zk.getConnectString());
      ZkStateStore store =
          new ZkStateStore(client, new ZkPaths("it"), node, clock, StoreSettings.defaults());
      store.start();
      GatewayServer gateway =
          new GatewayServer(
              GatewaySettings.builder("127.0.0.1", 0)
                  .rateLimits(10_000, 10_000, Duration.ofMinutes(1))
                  .build(),
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
  void refusesAPrivateReportedAddressUnlessTheAgentOrItsLineAllowsPrivate() throws Exception {
    long now = clock.millis();
    GatewayServer strict =
        extraGateway(
            GatewaySettings.defaults("127.0.0.1", 0),
            new GatewayCredentials(
                List.of(AGENT.config(List.of("telecom", "unicom"), false)),
                List.of(),
                Map.of("unicom", AddressPolicy.ALLOW_PRIVATE)));

    HttpResponse<String> refused =
        post(strict, AGENT.body("telecom", "ipv4", List.of("192.168.1.10"), now, 1));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body())
        .contains("\"status\":\"forbidden-address\"")
        .contains("192.168.1.10 is private-use (RFC 1918, 192.168.0.0/16)");
    ZkClient reader = ZkTestServers.client(zk.getConnectString());
    closing.add(reader);
    assertThat(reader.awaitConnected(Duration.ofSeconds(10))).isTrue();
    assertThat(reader.curator().checkExists().forPath("/haddns/it/lines/telecom/address")).isNull();
    // A globally reachable address passes the same gateway; a line that allows private takes one.
    assertThat(post(strict, AGENT.body("telecom", "ipv4", List.of("193.0.14.129"), now, 2)))
        .satisfies(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    assertThat(post(strict, AGENT.body("unicom", "ipv4", List.of("100.64.0.7"), now, 3)))
        .satisfies(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    // The node's own gateways run this agent with allowPrivate: true.
    assertThat(post(gateways.get(1), AGENT.body("telecom", "ipv4", List.of("10.1.2.3"), now, 4)))
        .satisfies(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    HttpResponse<String> loopback =
        post(gateways.get(1), AGENT.body("telecom", "ipv4", List.of("127.0.0.2"), now, 5));
    assertThat(loopback.statusCode()).as(loopback.body()).isEqualTo(403);
    assertThat(loopback.body()).contains("127.0.0.2 is loopback");
  }

  /** Another gateway on node-a's store, with its own settings. */
  private GatewayServer extraGateway(GatewaySettings settings, GatewayCredentials credentials) {
    GatewayServer g =
        new GatewayServer(
            settings,
            credentials,
            stores.get(0),
            stores.get(0)::audit,
            clock,
            "node-a",
            GatewayObserver.NOOP);
    g.start();
    closing.add(0, g);
    return g;
  }

  private static GatewayCredentials agentOnly() {
    return new GatewayCredentials(
        List.of(AGENT.config(List.of("telecom", "unicom"), true)), List.of());
  }

  private List<String> audited() {
    return stores.get(0).recentAudit(200).stream().map(e -> e.type() + " " + e.detail()).toList();
  }

  @Test
  void writesEveryOutcomeToTheAuditTrail() throws Exception {
    long now = clock.millis();
    post(gateways.get(0), AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), now, 1));
    // The same sequence with other addresses: a replay, refused (an exact retry would be accepted).
    post(gateways.get(1), AGENT.body("telecom", "ipv4", List.of("198.51.100.8"), now, 1));
    // One request per source and minute, short timeouts.
    GatewayServer strict =
        extraGateway(
            GatewaySettings.builder("127.0.0.1", 0)
                .rateLimits(1, 10_000, Duration.ofMinutes(1))
                .timeouts(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofSeconds(60))
                .build(),
            agentOnly());
    assertThat(
            post(strict, AGENT.body("telecom", "ipv4", List.of("198.51.100.9"), now, 2))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post(strict, AGENT.body("telecom", "ipv4", List.of("198.51.100.9"), now, 3))
                .statusCode())
        .isEqualTo(429);
    try (RawHttp c = new RawHttp(strict.address())) {
      c.send(RawHttp.get("/nic/update?hostname=home.example.com"));
      assertThat(c.response()).startsWith("HTTP/1.1 200").endsWith("abuse\n");
      c.send(RawHttp.get("/admin?password=hunter2"));
      assertThat(c.response()).startsWith("HTTP/1.1 404");
      c.send(RawHttp.get(GatewayHandler.REPORT_PATH));
      assertThat(c.response()).startsWith("HTTP/1.1 405");
      c.send(RawHttp.post(GatewayHandler.REPORT_PATH, "{\"pad\":\"" + "x".repeat(9000) + "\"}"));
      assertThat(c.response()).startsWith("HTTP/1.1 413");
    }
    try (RawHttp slowHeaders = new RawHttp(strict.address())) {
      slowHeaders.send("POST /api/v1/report HTTP/1.1\r\nHost: gw\r\n");
      assertThat(slowHeaders.closedByServer()).isTrue();
    }
    try (RawHttp slowBody = new RawHttp(strict.address())) {
      slowBody.send("POST /api/v1/report HTTP/1.1\r\nHost: gw\r\nContent-Length: 200\r\n\r\n{");
      assertThat(slowBody.response()).startsWith("HTTP/1.1 408");
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(audited())
                    .anyMatch(e -> e.startsWith("address-report "))
                    .anyMatch(
                        e ->
                            e.startsWith("address-report-rejected ") && e.contains("outcome=stale"))
                    .anyMatch(
                        e -> e.contains("outcome=rate-limited reason=source over its rate limit"))
                    .anyMatch(e -> e.startsWith("dyndns2-rejected ") && e.contains("outcome=abuse"))
                    .anyMatch(e -> e.contains("path=/admin outcome=not-found"))
                    .anyMatch(e -> e.contains("outcome=method-not-allowed"))
                    .anyMatch(e -> e.contains("outcome=too-large"))
                    .anyMatch(e -> e.contains("outcome=header-timeout"))
                    .anyMatch(e -> e.contains("outcome=request-timeout"))
                    .noneMatch(e -> e.contains("hunter2")));
  }

  @Test
  void answersASlowBodyWith408WithinTheRequestTimeoutThoughBytesKeepComing() throws Exception {
    GatewayServer g =
        extraGateway(
            GatewaySettings.builder("127.0.0.1", 0)
                .timeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(60))
                .build(),
            agentOnly());
    try (RawHttp c = new RawHttp(g.address())) {
      long start = System.nanoTime();
      c.send("POST /api/v1/report HTTP/1.1\r\nHost: gw\r\nContent-Length: 500\r\n\r\n{");
      for (int i = 0; i < 50 && !c.answered(); i++) {
        // A byte every 100 ms: never idle, never complete.
        Thread.sleep(100);
        try {
          c.send(" ");
        } catch (SocketException closedAfterAnswering) {
          break;
        }
      }
      String response = c.response();
      long took = Duration.ofNanos(System.nanoTime() - start).toMillis();

      assertThat(response).startsWith("HTTP/1.1 408");
      assertThat(took).isBetween(1_900L, 4_500L);
    }
    assertThat(stores.get(0).lineAddresses()).doesNotContainKey("telecom");
  }

  @Test
  void capsOpenConnectionsPerSource() throws Exception {
    GatewayServer g =
        extraGateway(
            GatewaySettings.builder("127.0.0.1", 0).connectionLimits(100, 2).build(), agentOnly());
    try (RawHttp first = new RawHttp(g.address());
        RawHttp second = new RawHttp(g.address())) {
      // Both are admitted and answered.
      first.send(RawHttp.get("/x"));
      assertThat(first.response()).startsWith("HTTP/1.1 404");
      second.send(RawHttp.get("/x"));
      assertThat(second.response()).startsWith("HTTP/1.1 404");
      try (RawHttp third = new RawHttp(g.address())) {
        assertThat(third.closedByServer()).isTrue();
      }
    }
    // Once they are closed, the source is admitted again.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              try (RawHttp again = new RawHttp(g.address())) {
                again.send(RawHttp.get("/x"));
                assertThat(again.response()).startsWith("HTTP/1.1 404");
              }
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(audited())
                    .anyMatch(
                        e ->
                            e.startsWith(
                                    "gateway-rejected source=127.0.0.1 outcome=too-many-connections")
                                && e.contains("reason=source has 2 connections open")));
  }

  @Test
  void answers500ToAReportOverACorruptAgentNodeAndServesTheConnectionOn() throws Exception {
    ZkClient writer = ZkTestServers.client(zk.getConnectString());
    closing.add(writer);
    assertThat(writer.awaitConnected(Duration.ofSeconds(10))).isTrue();
    writer
        .curator()
        .create()
        .orSetData()
        .creatingParentsIfNeeded()
        .forPath("/haddns/it/agents/" + AGENT.id, "{not json".getBytes(StandardCharsets.UTF_8));
    long now = clock.millis();

    try (LogCapture logs = LogCapture.start();
        RawHttp c = new RawHttp(gateways.get(0).address())) {
      c.send(
          RawHttp.post(
              GatewayHandler.REPORT_PATH,
              AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), now, 1)));
      String failed = c.response();
      // The same connection is read on and answered.
      c.send(RawHttp.get("/next"));
      String next = c.response();

      assertThat(failed)
          .startsWith("HTTP/1.1 500")
          .contains("\"status\":\"internal-error\"")
          .doesNotContain("not json")
          .doesNotContain("Exception");
      assertThat(next).startsWith("HTTP/1.1 404");
      assertThat(logs.events())
          .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getFormattedMessage())
                      .startsWith("gateway endpoint=report source=127.0.0.1"));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(audited())
                    .anyMatch(
                        e ->
                            e.startsWith("address-report-rejected source=127.0.0.1")
                                && e.contains("outcome=internal-error")));
    assertThat(stores.get(0).lineAddresses()).doesNotContainKey("telecom");
  }

  @Test
  void keepsServingAgentsDuringAFloodOfBadDyndns2Logins() throws Exception {
    PasswordHash hash =
        new PasswordHash(BCrypt.withDefaults().hash(10, "router-pass".toCharArray()), "test");
    GatewayServer g =
        extraGateway(
            GatewaySettings.builder("127.0.0.1", 0)
                .rateLimits(1_000_000, 1_000_000, Duration.ofMinutes(1))
                .connectionLimits(10_000, 10_000)
                .build(),
            new GatewayCredentials(
                List.of(AGENT.config(List.of("telecom"), true)),
                List.of(
                    new Dyndns2Config(
                        "router1", hash, List.of("home.example.com"), "home", true))));
    String wrong =
        "Basic "
            + Base64.getEncoder().encodeToString("router1:guess".getBytes(StandardCharsets.UTF_8));
    HttpRequest guess =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + g.address().getPort()
                        + "/nic/update?hostname=home.example.com"))
            .header("Authorization", wrong)
            .header("User-Agent", "flood/1")
            .build();
    HttpClient flooder = HttpClient.newHttpClient();
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      flood.add(flooder.sendAsync(guess, HttpResponse.BodyHandlers.ofString()));
    }
    long now = clock.millis();
    List<Integer> agentStatuses = new ArrayList<>();
    for (long seq = 1; seq <= 20; seq++) {
      agentStatuses.add(
          post(g, AGENT.body("telecom", "ipv4", List.of(address(seq)), now, seq)).statusCode());
    }
    long stillFlooding = flood.stream().filter(f -> !f.isDone()).count();
    List<String> floodAnswers = new ArrayList<>();
    for (var f : flood) {
      try {
        floodAnswers.add(f.get().body().trim());
      } catch (java.util.concurrent.ExecutionException e) {
        floodAnswers.add("error");
      }
    }

    assertThat(agentStatuses).as("flood still running: %d", stillFlooding).containsOnly(200);
    assertThat(floodAnswers).doesNotContain("good").contains("badauth");
    assertThat(stores.get(0).lineAddresses()).doesNotContainKey("home");
  }

  @Test
  void refusesAnOversizedBodyWith413() throws Exception {
    HttpResponse<String> r = post(gateways.get(0), "{\"agent\":\"" + "x".repeat(9000) + "\"}");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("too-large");
  }
}
