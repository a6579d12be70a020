package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.haddns.controller.config.Dyndns2Config;
import io.haddns.controller.config.PasswordHash;
import io.haddns.controller.store.AddressFamily;
import io.haddns.controller.store.LineAddressReport;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.Dyndns2ClientFiles;
import io.haddns.controller.testing.RequiredBinary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real dyndns2 clients (ddclient, inadyn) against the gateway on loopback, real ZooKeeper. */
class Dyndns2ClientsIT {
  static final String PASSWORD = "router-pass";

  @TempDir Path dir;
  private TestingServer zk;
  private ZkClient client;
  private ZkStateStore store;
  private GatewayServer gateway;
  private int port;

  @BeforeEach
  void start() throws Exception {
    zk = ZkTestServers.server();
    client = ZkTestServers.client(zk.getConnectString());
    store =
        new ZkStateStore(
            client, new ZkPaths("it"), "node-a", InstantSource.system(), StoreSettings.defaults());
    store.start();
    startGateway(GatewaySettings.defaults("127.0.0.1", 0));
  }

  private void startGateway(GatewaySettings settings) {
    // The clients below report documentation addresses (RFC 5737): private.
    startGateway(settings, true);
  }

  private void startGateway(GatewaySettings settings, boolean allowPrivate) {
    PasswordHash hash =
        new PasswordHash(BCrypt.withDefaults().hash(6, PASSWORD.toCharArray()), "test");
    gateway =
        new GatewayServer(
            settings,
            new GatewayCredentials(
                List.of(),
                List.of(
                    new Dyndns2Config(
                        "router1", hash, List.of("home.example.com"), "home", allowPrivate))),
            store,
            store::audit,
            InstantSource.system(),
            "node-a",
            GatewayObserver.NOOP);
    gateway.start();
    port = gateway.address().getPort();
  }

  /** A gateway allowing one request per source and minute, its one request already used up. */
  private void startRateLimitedGateway() throws Exception {
    gateway.close();
    startGateway(
        GatewaySettings.builder("127.0.0.1", 0).rateLimits(1, 1000, Duration.ofMinutes(1)).build());
    HttpResponse<String> first =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/nic/update?hostname=x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(first.body()).isEqualTo("badauth\n");
  }

  @Test
  void ddclientUnderstandsARateLimitedAnswerAsAbuse() throws Exception {
    startRateLimitedGateway();

    String out = ddclient("198.51.100.83", PASSWORD);

    // ddclient reads the body of a 200 only; it names the code and its meaning.
    assertThat(out).contains("abuse: The hostname specified is blocked for abuse");
    assertThat(committed()).isEmpty();
  }

  @Test
  void inadynUnderstandsARateLimitedAnswerAsAbuse() throws Exception {
    startRateLimitedGateway();

    String out = inadyn("198.51.100.84", PASSWORD);

    // inadyn shows the status with the body of an answer it refuses.
    assertThat(out).contains("[200 OK] abuse");
    assertThat(committed()).isEmpty();
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    store.close();
    client.close();
    zk.close();
  }

  private Optional<LineAddressReport> committed() {
    // Read through a fresh view-independent path: the store's own view after it caught up.
    return Optional.ofNullable(store.lineAddresses().get("home"))
        .flatMap(s -> s.report(AddressFamily.IPV4));
  }

  private String run(Path program, List<String> args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(program.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("%s finished; output:%n%s", program, out).isTrue();
    return out;
  }

  private void awaitCommitted(String address, String output) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(committed())
                    .as("client output:%n%s", output)
                    .hasValueSatisfying(
                        r -> assertThat(r.addresses().get(0).getHostAddress()).isEqualTo(address)));
  }

  private String ddclient(String address, String password) throws Exception {
    Path ddclient = RequiredBinary.require("ddclient", "ddclient");
    Path conf = dir.resolve("ddclient.conf");
    Dyndns2ClientFiles.writePrivate(
        conf,
        "daemon=0",
        "syslog=no",
        "ssl=no",
        "use=ip, ip=" + address,
        "protocol=dyndns2",
        "server=127.0.0.1:" + port,
        "login=router1",
        "password='" + password + "'",
        "home.example.com");
    return run(ddclient, Dyndns2ClientFiles.ddclientArgs(conf, dir));
  }

  private String inadyn(String address, String password) throws Exception {
    Path inadyn = RequiredBinary.require("inadyn", "inadyn");
    Path conf = dir.resolve("inadyn.conf");
    Dyndns2ClientFiles.writePrivate(
        conf,
        "period = 300",
        "custom haddns {",
        "  ssl = false",
        "  username = router1",
        "  password = " + password,
        "  ddns-server = 127.0.0.1:" + port,
        "  ddns-path = \"/nic/update?hostname=%h&myip=%i\"",
        "  checkip-command = \"echo " + address + "\"",
        "  hostname = home.example.com",
        "}");
    return run(inadyn, Dyndns2ClientFiles.inadynArgs(conf, dir, "cache"));
  }

  @Test
  void ddclientIsToldDnserrForAPrivateAddressWithoutAllowPrivate() throws Exception {
    gateway.close();
    startGateway(GatewaySettings.defaults("127.0.0.1", 0), false);

    String out = ddclient("192.168.1.21", PASSWORD);

    // ddclient reads the body of a 200 and names the code (docs/agent-protocol.md).
    assertThat(out).contains("dnserr");
    assertThat(committed()).isEmpty();
  }

  @Test
  void ddclientUpdatesTheLineAddress() throws Exception {
    String out = ddclient("198.51.100.77", PASSWORD);

    awaitCommitted("198.51.100.77", out);
    assertThat(out).contains("198.51.100.77");
  }

  @Test
  void inadynUpdatesTheLineAddress() throws Exception {
    String out = inadyn("198.51.100.78", PASSWORD);

    awaitCommitted("198.51.100.78", out);
  }

  /** The gateway answered a real client {@code badauth}, audited, and wrote no address. */
  private void assertBadauthAndNothingWritten(String out) throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(store.recentAudit(20))
                    .as("client output:%n%s", out)
                    .anyMatch(
                        e ->
                            e.type().equals("dyndns2-rejected")
                                && e.detail().contains("user=?")
                                && e.detail().endsWith("outcome=badauth")));
    assertThat(client.curator().checkExists().forPath("/haddns/it/lines/home/address")).isNull();
    assertThat(out).doesNotContain("good").doesNotContain("nochg");
  }

  @Test
  void ddclientWithAWrongPasswordIsAnsweredBadauthAndWritesNothing() throws Exception {
    String out = ddclient("198.51.100.81", "wrong-pass");

    assertBadauthAndNothingWritten(out);
    // ddclient reports a 401 from the status line (header_ok) without reading the body.
    assertThat(out).contains("authorization failed");
  }

  @Test
  void inadynWithAWrongPasswordIsAnsweredBadauthAndWritesNothing() throws Exception {
    String out = inadyn("198.51.100.82", "wrong-pass");

    assertBadauthAndNothingWritten(out);
    assertThat(out).containsIgnoringCase("badauth");
  }

  @Test
  void wrongPasswordIsBadauthAndWritesNothing() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/nic/update?hostname=home.example.com&myip=198.51.100.79"))
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString("router1:wrong".getBytes(StandardCharsets.UTF_8)))
                    .header("User-Agent", "haddns-it/1")
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.body()).isEqualTo("badauth\n");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(client.curator().checkExists().forPath("/haddns/it/lines/home/address")).isNull();
  }
}
