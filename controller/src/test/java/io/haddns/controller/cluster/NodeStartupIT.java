package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.haddns.controller.cli.ControllerMain;
import io.haddns.controller.reconcile.ZoneReconciler;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.AdminHttp;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.DnsAnswers;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.LogCapture;
import io.haddns.controller.testing.SingleNodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * How a whole node behaves when what it depends on is missing or wrong at start: ZooKeeper not
 * there yet, a DNS server that refuses the TSIG key, an admin port already taken, an invalid
 * configuration file. Real ZooKeeper, real BIND, a real TCP line on 127.0.0.21.
 */
class NodeStartupIT {
  private static final String LINE = "127.0.0.21";
  private static final String ZONE = "example.test";

  @TempDir Path dir;
  private DnsTestServer dns;
  private LineListener line;
  private TestingServer zk;
  private NodeRuntime node;
  private LogCapture logs;

  @BeforeEach
  void setUp() throws Exception {
    dns = BindServer.start(dir.resolve("bind"), ZONE);
    InetAddress a = InetAddress.getByName(LINE);
    line = new LineListener(a, LineListener.freePort(a)).open();
    logs = LogCapture.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.close();
    }
    if (logs != null) {
      logs.close();
    }
    if (zk != null) {
      zk.close();
    }
    if (line != null) {
      line.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  private SingleNodeConfig config(String zookeeper) {
    return new SingleNodeConfig(zookeeper, dns)
        .line("a", LINE, "{ tcp: { port: " + line.port() + " } }");
  }

  private NodeRuntime start(SingleNodeConfig cfg) throws Exception {
    return NodeRuntime.start(cfg.load(dir), Optional.empty(), InstantSource.system(), "test");
  }

  private InetSocketAddress admin() {
    return node.admin().address();
  }

  @Test
  void startsWithoutZooKeeperNotReadyAndQuietThenLeadsOnceZooKeeperAppears() throws Exception {
    int zkPort = ZkTestServers.freePort();
    SingleNodeConfig cfg = config("127.0.0.1:" + zkPort);

    long t0 = System.nanoTime();
    node = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> start(cfg));
    System.out.printf(
        "start without ZooKeeper returned in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(AdminHttp.status(admin(), "/healthz")).isEqualTo(200);
    // About 5 s without ZooKeeper: never ready, never leading, nothing written.
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(7))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> AdminHttp.status(admin(), "/readyz") == 503 && !node.node().isLeader());
    assertThat(AdminHttp.status(admin(), "/healthz")).isEqualTo(200);
    assertThat(DnsAnswers.a(dns, cfg.record())).isEmpty();
    assertThat(DnsAnswers.fence(dns, ZONE)).isEmpty();

    List<String> stateLines = zkLines();
    List<String> library = messages(logs.from("org.apache."));
    System.out.printf(
        "5 s without ZooKeeper: ZkClient lines=%d %s; ZooKeeper/Curator lines=%d%n",
        stateLines.size(), stateLines, library.size());
    String zkName = "zookeeper=127.0.0.1:" + zkPort;
    assertThat(stateLines)
        .as("one line per connection state change, each once")
        .containsExactly(
            zkName + " connecting (session timeout 3s, access digest:haddns)",
            zkName + " not reachable after 1s, still trying");
    assertThat(library)
        .as("ZooKeeper/Curator lines, at the shipped levels")
        .hasSizeLessThanOrEqualTo(3);

    zk = ZkTestServers.server(zkPort);
    long zkUp = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> AdminHttp.status(admin(), "/readyz") == 200);
    long readyMs = (System.nanoTime() - zkUp) / 1_000_000;
    await().atMost(Duration.ofSeconds(15)).until(() -> node.node().isLeader());
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> DnsAnswers.a(dns, cfg.record()).equals(List.of(LINE)));
    long recordMs = (System.nanoTime() - zkUp) / 1_000_000;
    System.out.printf(
        "ZooKeeper up -> /readyz 200 in %d ms, record at BIND in %d ms%n", readyMs, recordMs);
    assertThat(DnsAnswers.fence(dns, ZONE)).contains(node.node().epoch());
    assertThat(zkLines())
        .containsExactly(
            zkName + " connecting (session timeout 3s, access digest:haddns)",
            zkName + " not reachable after 1s, still trying",
            zkName + " connected");
  }

  @Test
  void dnsServerRefusingTheKeyChangesNothingAndIsReportedOncePerAttemptWithoutTheSecret()
      throws Exception {
    zk = ZkTestServers.server();
    String wrongSecret = dns.wrongTsigSecretBase64();
    SingleNodeConfig cfg =
        config(zk.getConnectString()).tsigSecret(wrongSecret).resyncInterval("1s");
    node = start(cfg);

    await().atMost(Duration.ofSeconds(15)).until(() -> node.node().isLeader());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> applyFailures().size() >= 2); // the first attempt and one resync
    // Every attempt: exactly one ERROR line and one audit event, never more.
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(errors()).hasSameSizeAs(applyFailures()));
    List<String> errors = messages(errors());
    System.out.printf("refused key: ERROR lines=%d, first: %s%n", errors.size(), errors.get(0));
    assertThat(errors)
        .allSatisfy(
            m ->
                assertThat(m)
                    .contains("zone=" + ZONE)
                    .contains("'" + dns.tsigName() + "'")
                    .contains("NOTAUTH"));
    assertThat(applyFailures())
        .allSatisfy(e -> assertThat(e.detail()).contains(ZONE).doesNotContain(wrongSecret));
    assertThat(logs.events())
        .as("ERROR lines come only from the reconciler's one line per attempt")
        .filteredOn(e -> e.getLevel() == Level.ERROR)
        .allSatisfy(e -> assertThat(e.getLoggerName()).isEqualTo(ZoneReconciler.class.getName()));

    assertThat(DnsAnswers.a(dns, cfg.record())).isEmpty();
    assertThat(DnsAnswers.fence(dns, ZONE)).isEmpty();
    assertThat(dns.updateLogLines()).noneMatch(l -> l.contains("updating zone"));
    assertThat(String.join("\n", logs.lines())).doesNotContain(wrongSecret);
  }

  @Test
  void adminPortInUseFailsStartNamingTheAddressAndLeavesNothingRunning() throws Exception {
    zk = ZkTestServers.server();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      SingleNodeConfig cfg = config(zk.getConnectString()).httpPort(port);

      assertThatThrownBy(() -> start(cfg))
          .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo("StartupException"))
          .hasMessageContaining("127.0.0.1:" + port);

      String zkThread = "SendThread(127.0.0.1:" + zk.getPort() + ")";
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(Thread.getAllStackTraces().keySet())
                      .as("ZooKeeper client threads of the failed node")
                      .noneMatch(t -> t.getName().contains(zkThread)));
    }
    try (ZkClient check = ZkTestServers.client(zk.getConnectString())) {
      assertThat(check.awaitConnected(Duration.ofSeconds(5))).isTrue();
      String member = new ZkPaths("single").member(SingleNodeConfig.NODE_ID);
      assertThat(check.curator().checkExists().forPath(member)).isNull();
    }
    assertThat(DnsAnswers.fence(dns, ZONE)).isEmpty();
  }

  @Test
  void invalidConfigurationExitsWithTwoListingEveryProblemWithoutTheSecret() throws Exception {
    String secretContent = "s3cr3t-not*base64!";
    Files.writeString(dir.resolve("tsig.secret"), secretContent);
    Files.writeString(dir.resolve("zk.secret"), "zk-digest-s3cr3t-word");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        cluster:
          name: bad
          zookeeper: 127.0.0.1:2181
          zookeeperAuth: { scheme: digest, user: haddns, secretFile: zk.secret }
        lines:
          - name: a
            address: { static: [192.0.2.10] }
            probes: [ { tcp: { port: 443 } } ]
        zones:
          - name: %s
            provider:
              type: rfc2136
              server: 127.0.0.1:53
              tsig: { name: haddns, secretFile: tsig.secret }
        records:
          - { name: app.example.org, lines: [a] }
        """
            .formatted(ZONE));
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();

    int code =
        new CommandLine(new ControllerMain())
            .setErr(new PrintWriter(err, true))
            .setOut(new PrintWriter(out, true))
            .execute("controller", "--config", bad.toString(), "--node-id", "n1");

    System.out.printf("bad.yaml -> exit %d:%n%s", code, err);
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("2 problem(s)")
        .contains("records[0].name")
        .contains("app.example.org")
        .contains("zones[0].provider.tsig.secretFile")
        .contains("base64")
        .doesNotContain(secretContent)
        .doesNotContain("s3cr3t")
        .doesNotContain("zk-digest");
    assertThat(out.toString()).doesNotContain("s3cr3t");
    assertThat(String.join("\n", logs.lines())).doesNotContain("s3cr3t");
  }

  private List<AuditEvent> applyFailures() {
    return node.store().recentAudit(100).stream()
        .filter(e -> e.type().equals("apply-failed"))
        .toList();
  }

  private List<ILoggingEvent> errors() {
    return logs.from(ZoneReconciler.class.getName()).stream()
        .filter(e -> e.getLevel() == Level.ERROR)
        .toList();
  }

  private List<String> zkLines() {
    return logs.from(ZkClient.class.getName()).stream()
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static List<String> messages(List<ILoggingEvent> events) {
    return events.stream().map(LogCapture::render).toList();
  }
}
