package io.haddns.controller.node;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.store.AddressFamily;
import io.haddns.controller.store.LineAddressReport;
import io.haddns.controller.store.LineAddressState;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineSourcesTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @TempDir Path dir;
  private HaddnsConfig config;

  @BeforeEach
  void load() throws Exception {
    byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    Files.writeString(
        dir.resolve("gw.pub"),
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(der)
            + "\n-----END PUBLIC KEY-----\n");
    Files.writeString(
        dir.resolve("router1.hash"),
        new String(BCrypt.withDefaults().hash(4, "pw".toCharArray()), StandardCharsets.US_ASCII));
    String yaml =
        """
        cluster: { name: prod }
        lines:
          - { name: office, address: { agent: gw }, probes: [ { tcp: { port: 443 } } ] }
          - { name: home, address: { agent: router1 }, probes: [ { tcp: { port: 443 } } ] }
          - { name: lab, address: { agent: ci }, probes: [ { tcp: { port: 443 } } ] }
          - { name: dc, address: { static: [198.51.100.7] }, probes: [ { tcp: { port: 443 } } ] }
        zones:
          - { name: example.com, provider: { type: embedded } }
        records:
          - { name: app.example.com, lines: [office, dc] }
          - { name: home.example.com, lines: [home] }
          - { name: lab.example.com, lines: [lab] }
        agents:
          - { id: gw, publicKeyFile: gw.pub, lines: [office] }
        dyndns2:
          - { username: router1, passwordHashFile: router1.hash, hostnames: [home.example.com], line: home }
        operators:
          tokens:
            - { name: ci, role: viewer, sha256: "%s", scope: { line: lab, hostnames: [lab.example.com] } }
        node: { id: node-1 }
        """
            .formatted("0".repeat(64));
    config = new ConfigLoader(Map.of()).parse(yaml, "test.yaml", dir);
  }

  private LineConfig line(String name) {
    return config.lines().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  private static LineAddressReport report(
      String line, AddressFamily family, String address, String agent, Instant committed)
      throws Exception {
    return new LineAddressReport(
        line,
        family,
        List.of(InetAddress.getByName(address)),
        committed.minusSeconds(1),
        7,
        agent,
        "node-2",
        committed);
  }

  @Test
  void namesTheKindOfReporterEachLineHasAndThatNoReportCameYet() {
    LineSources sources = new LineSources(config);

    assertThat(sources.of(line("dc"), Map.of(), NOW))
        .isEqualTo(new ClusterStatus.Source("static", "", null, null, null));
    assertThat(sources.of(line("office"), Map.of(), NOW))
        .isEqualTo(new ClusterStatus.Source("agent", "", null, null, null));
    assertThat(sources.of(line("home"), Map.of(), NOW).kind()).isEqualTo("dyndns2");
    assertThat(sources.of(line("lab"), Map.of(), NOW).kind()).isEqualTo("token");
  }

  @Test
  void givesTheNewestReportsReporterCommitTimeAgeAndReceivingNode() throws Exception {
    Instant v4 = NOW.minusSeconds(90);
    Instant v6 = NOW.minusSeconds(30);
    LineAddressState state =
        LineAddressState.empty("office")
            .with(report("office", AddressFamily.IPV4, "192.0.2.1", "gw", v4))
            .with(report("office", AddressFamily.IPV6, "2001:db8::1", "gw", v6));

    assertThat(new LineSources(config).of(line("office"), Map.of("office", state), NOW))
        .isEqualTo(new ClusterStatus.Source("agent", "gw", v6.toString(), 30L, "node-2"));
  }
}
