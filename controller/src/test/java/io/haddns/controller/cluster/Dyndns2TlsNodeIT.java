package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.GatewayListen;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.testing.Dyndns2ClientFiles;
import io.haddns.controller.testing.RequiredBinary;
import io.haddns.probe.testing.NetnsHost;
import io.haddns.probe.testing.RequiredCapability;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * Real dyndns2 clients over HTTPS against a whole node (its TLS gateway, embedded ZooKeeper,
 * probing and embedded DNS): the address a router reports is probed by the leader and served in DNS
 * once the line answers; a wrong password is refused and changes nothing. The reported addresses
 * are hosts in network namespaces, so the leader really probes them (ICMP, as root).
 */
class Dyndns2TlsNodeIT {
  private static final String PASSWORD = "router-pass";

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private NodeRuntime node;
  private Path caFile;
  private int gatewayPort;

  @BeforeEach
  void start() throws Exception {
    RequiredCapability.requireRoot();
    Path openssl = RequiredBinary.require("openssl", "openssl");
    caFile = dir.resolve("gateway.crt");
    Path key = dir.resolve("gateway.key");
    run(
        openssl,
        List.of(
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key.toString(),
            "-out",
            caFile.toString()),
        "");
    Files.writeString(
        dir.resolve("router1.hash"),
        new String(BCrypt.withDefaults().hash(6, PASSWORD.toCharArray()), StandardCharsets.UTF_8));
    String yaml =
        """
        cluster:
          name: routers
          sessionTimeout: 2s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - name: home
            address: { agent: router1 }
            probes: [ { icmp: {} } ]
            interval: 100ms
            timeout: 80ms
        zones:
          - name: example.test
            provider: { type: embedded, nameservers: [127.0.0.1] }
        records:
          - { name: home.example.test, ttl: 30, lines: [home] }
        dyndns2:
          - { username: router1, passwordHashFile: router1.hash, hostnames: [home.example.test], line: home, allowPrivate: true }
        node:
          gateway:
            host: 127.0.0.1
            port: 0
            tls: { certificateFile: gateway.crt, keyFile: gateway.key }
        """
            .formatted(dir.resolve("data"));
    HaddnsConfig cfg = new ConfigLoader(Map.of()).parse(yaml, "routers.yaml", dir);
    GatewayListen gateway = cfg.node().gateway();
    node =
        NodeRuntime.start(
            cfg.withNode(new NodeConfig("router-node", "127.0.0.1", 0, "127.0.0.1", 0, gateway)),
            Optional.empty(),
            InstantSource.system(),
            "it");
    gatewayPort = node.gatewayAddress().orElseThrow().getPort();
    await().atMost(Duration.ofSeconds(20)).until(node.node()::isLeader);
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private NetnsHost host() throws IOException {
    NetnsHost h = NetnsHost.create();
    open.add(h);
    return h;
  }

  @Test
  void gatewayDnsServerAndAdminServerRunOnTheNodesOneSetOfEventLoops() {
    List<String> threads =
        Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();

    assertThat(threads)
        .anyMatch(t -> t.startsWith("haddns-accept-"))
        .anyMatch(t -> t.startsWith("haddns-io-"))
        .as("event loops a server made for itself")
        .noneMatch(t -> t.matches("haddns-(gateway|dns|admin)-(accept|io)-.*"));
  }

  @Test
  void ddclientOverHttpsMovesTheRecordToTheReportedAddress() throws Exception {
    Path ddclient = RequiredBinary.require("ddclient", "ddclient");
    String address = host().address4().getHostAddress();

    String out = ddclient(ddclient, PASSWORD, address);

    awaitAnswer(address, out);
    assertThat(out).contains("good").contains(address);
  }

  @Test
  void inadynOverHttpsMovesTheRecordToTheReportedAddress() throws Exception {
    String address = host().address4().getHostAddress();

    String out = inadyn(PASSWORD, address);

    awaitAnswer(address, out);
  }

  @Test
  void inadynWithAWrongPasswordGetsBadauthAndNothingChanges() throws Exception {
    String address = host().address4().getHostAddress();

    String out = inadyn("not-the-password", address);

    assertThat(out).containsIgnoringCase("badauth");
    assertBadauthAuditedAndNothingChanged();
  }

  private void assertBadauthAuditedAndNothingChanged() throws IOException {
    assertThat(node.store().lineAddresses()).doesNotContainKey("home");
    assertThat(answer()).isEmpty();
    await()
        .untilAsserted(
            () ->
                assertThat(node.store().recentAudit(20))
                    .extracting(AuditEvent::detail)
                    .anyMatch(d -> d.contains("badauth")));
  }

  private String inadyn(String password, String address) throws Exception {
    Path inadyn = RequiredBinary.require("inadyn", "inadyn");
    Path conf = dir.resolve("inadyn.conf");
    Dyndns2ClientFiles.writePrivate(
        conf,
        "period = 300",
        "secure-ssl = true",
        "ca-trust-file = " + caFile,
        "custom haddns {",
        "  ssl = true",
        "  username = router1",
        "  password = " + password,
        "  ddns-server = 127.0.0.1:" + gatewayPort,
        "  ddns-path = \"/nic/update?hostname=%h&myip=%i\"",
        "  checkip-command = \"echo " + address + "\"",
        "  hostname = home.example.test",
        "}");
    return run(inadyn, Dyndns2ClientFiles.inadynArgs(conf, dir, "inadyn-cache"), password);
  }

  @Test
  void ddclientWithAWrongPasswordGetsBadauthAndNothingChanges() throws Exception {
    Path ddclient = RequiredBinary.require("ddclient", "ddclient");
    String address = host().address4().getHostAddress();

    String out = ddclient(ddclient, "not-the-password", address);

    assertThat(out).contains("badauth");
    assertBadauthAuditedAndNothingChanged();
  }

  private String ddclient(Path ddclient, String password, String address) throws Exception {
    Path conf = dir.resolve("ddclient.conf");
    Dyndns2ClientFiles.writePrivate(
        conf,
        "daemon=0",
        "syslog=no",
        "ssl=yes",
        "ssl_ca_file=" + caFile,
        "use=ip, ip=" + address,
        "protocol=dyndns2",
        "server=127.0.0.1:" + gatewayPort,
        "login=router1",
        "password='" + password + "'",
        "home.example.test");
    return run(ddclient, Dyndns2ClientFiles.ddclientArgs(conf, dir), password);
  }

  private void awaitAnswer(String address, String clientOutput) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(answer())
                    .as("client output:%n%s", clientOutput)
                    .containsExactly(address));
  }

  private List<String> answer() throws IOException {
    InetSocketAddress dns = node.dnsAddress().orElseThrow();
    SimpleResolver r = new SimpleResolver(dns);
    r.setTimeout(Duration.ofSeconds(1));
    Message res =
        r.send(
            Message.newQuery(
                Record.newRecord(Name.fromString("home.example.test."), Type.A, DClass.IN)));
    return res.getSection(Section.ANSWER).stream()
        .filter(x -> x instanceof ARecord)
        .map(x -> ((ARecord) x).getAddress().getHostAddress())
        .toList();
  }

  /** Runs a program to completion; its output, with {@code secret} masked, for assertions. */
  private String run(Path program, List<String> args, String secret) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(program.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("%s finished; output:%n%s", program, out).isTrue();
    return secret.isEmpty() ? out : out.replace(secret, "<password>");
  }
}
