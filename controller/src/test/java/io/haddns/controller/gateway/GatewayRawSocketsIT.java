package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.haddns.controller.config.Dyndns2Config;
import io.haddns.controller.config.PasswordHash;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw sockets against a gateway on a real ZooKeeper: pipelined requests (slow bcrypt logins and
 * ZooKeeper commits among fast refusals), requests the HTTP decoder cannot read, and dyndns2 logins
 * from several loopback source addresses.
 */
class GatewayRawSocketsIT {
  private static final TestAgent AGENT = new TestAgent("office-gw", 1);

  private final InstantSource clock = InstantSource.system();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private TestingServer zk;
  private ZkStateStore store;
  private GatewayServer gateway;

  @BeforeEach
  void start() throws Exception {
    zk = ZkTestServers.server();
    ZkClient client = ZkTestServers.client(zk.getConnectString());
    store = new ZkStateStore(client, new ZkPaths("it"), "node-a", clock, StoreSettings.defaults());
    store.start();
    gateway = gateway(10_000);
    closing.add(store);
    closing.add(client);
  }

  private GatewayServer gateway(int perCredential) {
    PasswordHash hash =
        new PasswordHash(BCrypt.withDefaults().hash(10, "router-pass".toCharArray()), "test");
    GatewayServer g =
        new GatewayServer(
            GatewaySettings.builder("127.0.0.1", 0)
                .rateLimits(10_000, perCredential, Duration.ofMinutes(1))
                .build(),
            new GatewayCredentials(
                // Documentation addresses (RFC 5737) are reported below: opted in as private.
                List.of(AGENT.config(List.of("telecom"), true)),
                List.of(
                    new Dyndns2Config("router1", hash, List.of("home.example.com"), "home", true))),
            store,
            store::audit,
            clock,
            "node-a",
            GatewayObserver.NOOP);
    g.start();
    closing.add(0, g);
    return g;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    zk.close();
  }

  private static String update(String password, String extraHeaders) {
    String auth =
        Base64.getEncoder()
            .encodeToString(("router1:" + password).getBytes(StandardCharsets.UTF_8));
    return "GET /nic/update?hostname=home.example.com&myip=198.51.100.20 HTTP/1.1\r\n"
        + "Host: gw\r\nUser-Agent: test/1\r\nAuthorization: Basic "
        + auth
        + "\r\n"
        + extraHeaders
        + "\r\n";
  }

  private static String report(long sequence) {
    return RawHttp.post(
        GatewayHandler.REPORT_PATH,
        AGENT.body(
            "telecom",
            "ipv4",
            List.of("198.51.100." + sequence),
            InstantSource.system().millis(),
            sequence));
  }

  @Test
  void answersPipelinedSlowAndFastRequestsInRequestOrder() throws Exception {
    try (RawHttp c = new RawHttp(gateway.address())) {
      c.send(
          update("wrong", "")
              + RawHttp.get("/missing")
              + report(1)
              + RawHttp.get(GatewayHandler.REPORT_PATH)
              + update("router-pass", "")
              + report(2)
              + "GET /last HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"
              // Sent after the request that closes: never served.
              + report(3));

      List<String> answers = new ArrayList<>();
      String r;
      while ((r = c.response()) != null) {
        answers.add(r);
      }

      assertThat(answers).hasSize(7);
      assertThat(answers.get(0)).startsWith("HTTP/1.1 401").endsWith("badauth\n");
      assertThat(answers.get(1)).startsWith("HTTP/1.1 404").endsWith("no such endpoint\n");
      assertThat(answers.get(2))
          .startsWith("HTTP/1.1 200")
          .contains("\"status\":\"accepted\",\"sequence\":1");
      assertThat(answers.get(3)).startsWith("HTTP/1.1 405").endsWith("use POST\n");
      assertThat(answers.get(4)).startsWith("HTTP/1.1 200").endsWith("good 198.51.100.20\n");
      assertThat(answers.get(5))
          .startsWith("HTTP/1.1 200")
          .contains("\"status\":\"accepted\",\"sequence\":2");
      assertThat(answers.get(6))
          .startsWith("HTTP/1.1 404")
          .containsIgnoringCase("connection: close");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        store
                            .lineAddresses()
                            .get("telecom")
                            .report(io.haddns.controller.store.AddressFamily.IPV4)
                            .orElseThrow()
                            .sequence())
                    .isEqualTo(2));
  }

  @Test
  void answersFastRequestsPipelinedBehindSlowOnesWithoutClosingEarly() throws Exception {
    StringBuilder burst = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      burst.append(update("wrong-" + i, "")).append(RawHttp.get("/fast-" + i));
      expected.add("badauth");
      expected.add("no such endpoint");
    }
    burst.append(update("wrong", "Connection: close\r\n"));
    expected.add("badauth");
    try (RawHttp c = new RawHttp(gateway.address())) {
      c.send(burst.toString());

      List<String> answers = new ArrayList<>();
      String r;
      while ((r = c.response()) != null) {
        answers.add(r.substring(r.indexOf("\r\n\r\n") + 4).trim());
      }

      assertThat(answers).containsExactlyElementsOf(expected);
    }
  }

  /** Requests the decoder rejects or whose path does not decode: 400, audited, never echoed. */
  @Test
  void answersUndecodableRequestsWith400AndAuditsThem() throws Exception {
    List<String> requests =
        List.of(
            "GET /x HTTP/1.1 extra words\r\nHost: gw\r\n\r\n",
            "GET /x HTTP/1.1\r\nHost: gw\r\nNoColonHere\r\n\r\n",
            "GET /x HTTP/1.1\r\nHost: gw\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n",
            "GET /%zz HTTP/1.1\r\nHost: gw\r\n\r\n",
            "GET /nic/update?hostname=%zz&password=hunter2 HTTP/1.1\r\nHost: gw\r\n\r\n",
            "POST /api/v1/report%zz HTTP/1.1\r\nHost: gw\r\nContent-Length: 2\r\n\r\n{}");
    for (String request : requests) {
      try (RawHttp c = new RawHttp(gateway.address())) {
        c.send(request);
        String answer = c.response();

        assertThat(answer)
            .as(request.lines().findFirst().orElseThrow())
            .startsWith("HTTP/1.1 400")
            .doesNotContain("%zz")
            .doesNotContain("hunter2");
        assertThat(c.closedByServer()).isTrue();
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<String> audited =
                  store.recentAudit(100).stream().map(e -> e.type() + " " + e.detail()).toList();
              assertThat(audited)
                  .filteredOn(e -> e.contains("outcome=bad-request"))
                  .hasSize(requests.size())
                  .anyMatch(e -> e.startsWith("gateway-rejected ") && e.contains("path=/%zz "))
                  .noneMatch(e -> e.contains("hunter2"));
            });
  }

  @Test
  void failedLoginsFromOneSourceNeitherLockTheUserOutNorCostBcryptWithoutEnd() throws Exception {
    GatewayServer strict = gateway(5);
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    InetAddress router = InetAddress.getByName("127.0.0.3");
    List<String> attackerAnswers = new ArrayList<>();
    long start = System.nanoTime();
    try (RawHttp c = new RawHttp(strict.address(), attacker)) {
      for (int i = 0; i < 200; i++) {
        c.send(update("guess-" + i, ""));
        String r = c.response();
        attackerAnswers.add(r.substring(r.indexOf("\r\n\r\n") + 4).trim());
      }
    }
    Duration flood = Duration.ofNanos(System.nanoTime() - start);

    String legitimate;
    try (RawHttp c = new RawHttp(strict.address(), router)) {
      c.send(update("router-pass", ""));
      legitimate = c.response();
    }

    assertThat(legitimate).startsWith("HTTP/1.1 200").endsWith("good 198.51.100.20\n");
    assertThat(attackerAnswers.subList(0, 5)).containsOnly("badauth");
    assertThat(attackerAnswers.subList(5, 200)).containsOnly("abuse");
    // 195 abuse answers without bcrypt (cost 10, tens of ms each) take far less than 195 checks.
    assertThat(flood).isLessThan(Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(store.lineAddresses().get("home").addresses())
                    .containsExactly(InetAddress.getByName("198.51.100.20")));
  }
}
