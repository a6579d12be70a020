package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.haddns.controller.net.AddressPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code agents} and {@code dyndns2} sections: one row per rule, with real key files. */
class ConfigLoaderGatewayTest {
  static final String HASH_TEXT =
      new String(BCrypt.withDefaults().hash(4, "pw".toCharArray()), StandardCharsets.US_ASCII);

  static final String YAML =
      """
      cluster:
        name: prod
      lines:
        - name: telecom
          address: { agent: office-gw }
          probes: [ { tcp: { port: 443 } } ]
        - name: home
          address: { agent: router1 }
          probes: [ { tcp: { port: 443 } } ]
        - name: unicom
          address: { static: [198.51.100.7] }
          probes: [ { tcp: { port: 443 } } ]
      zones:
        - name: example.com
          provider: { type: embedded }
      records:
        - { name: app.example.com, lines: [telecom, unicom] }
        - { name: home.example.com, lines: [home] }
      agents:
        - { id: office-gw, publicKeyFile: office-gw.pub, lines: [telecom] }
      dyndns2:
        - { username: router1, passwordHashFile: router1.hash, hostnames: [Home.Example.com.], line: home }
      node:
        id: node-1
      """;

  @TempDir Path dir;

  @BeforeEach
  void writeFiles() throws IOException, NoSuchAlgorithmException {
    byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    Files.writeString(
        dir.resolve("office-gw.pub"),
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(der)
            + "\n-----END PUBLIC KEY-----\n");
    Files.writeString(dir.resolve("router1.hash"), HASH_TEXT + "\n");
    Files.writeString(dir.resolve("garbage.pub"), "not a key");
    Files.writeString(
        dir.resolve("gw.crt"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Files.writeString(
        dir.resolve("gw.key"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
    Files.writeString(
        dir.resolve("rsa.key"),
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    Files.writeString(dir.resolve("plain.hash"), "hunter2-plaintext\n");
    Files.writeString(
        dir.resolve("rsa.pub"),
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n");
  }

  private HaddnsConfig parse(String yaml) throws ConfigException {
    return ConfigTesting.loader(Map.of()).parse(yaml, "test.yaml", dir);
  }

  @Test
  void readsAgentsAndDyndns2Credentials() throws ConfigException {
    HaddnsConfig c = parse(YAML);

    assertThat(c.agents())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.id()).isEqualTo("office-gw");
              assertThat(a.publicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
              assertThat(a.lines()).containsExactly("telecom");
            });
    assertThat(c.dyndns2())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.hostnames()).containsExactly("home.example.com");
              assertThat(d.line()).isEqualTo("home");
              assertThat(d.passwordHash().matches("pw".getBytes(StandardCharsets.UTF_8))).isTrue();
              assertThat(d.passwordHash().matches("px".getBytes(StandardCharsets.UTF_8))).isFalse();
            });
    assertThat(c.toString()).doesNotContain(HASH_TEXT).doesNotContain(HASH_TEXT.substring(7));
  }

  @Test
  void linesAdmitPublicAddressesOnlyUnlessTheyOrTheirReporterAllowPrivate() throws ConfigException {
    HaddnsConfig strict = parse(YAML);
    assertThat(strict.addressPolicy("telecom")).isEqualTo(AddressPolicy.PUBLIC_ONLY);
    assertThat(strict.addressPolicy("home")).isEqualTo(AddressPolicy.PUBLIC_ONLY);
    assertThat(strict.agents().getFirst().allowPrivate()).isFalse();
    assertThat(strict.dyndns2().getFirst().allowPrivate()).isFalse();

    HaddnsConfig byLine =
        parse(
            YAML.replace(
                "address: { agent: office-gw }",
                "address: { agent: office-gw }\n    allowPrivate: true"));
    assertThat(byLine.addressPolicy("telecom")).isEqualTo(AddressPolicy.ALLOW_PRIVATE);
    assertThat(byLine.addressPolicy("home")).isEqualTo(AddressPolicy.PUBLIC_ONLY);

    HaddnsConfig byReporters =
        parse(
            YAML.replace("lines: [telecom] }", "lines: [telecom], allowPrivate: true }")
                .replace("line: home }", "line: home, allowPrivate: true }"));
    assertThat(byReporters.agents().getFirst().allowPrivate()).isTrue();
    assertThat(byReporters.dyndns2().getFirst().allowPrivate()).isTrue();
    assertThat(byReporters.addressPolicy("telecom")).isEqualTo(AddressPolicy.ALLOW_PRIVATE);
    assertThat(byReporters.addressPolicy("home")).isEqualTo(AddressPolicy.ALLOW_PRIVATE);
    assertThat(byReporters.addressPolicy("unicom"))
        .as("static addresses are used as written")
        .isEqualTo(AddressPolicy.PUBLIC_ONLY);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rules")
  void reportsProblemAtItsPath(String path, String reason, String from, String to) {
    assertThat(YAML).contains(from);
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> parse(YAML.replace(from, to)));

    assertThat(e).as("rejected").isNotNull();
    assertThat(e.problems())
        .as("problems %s", e.problems())
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.reason()).contains(reason);
            });
    assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain(HASH_TEXT);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        rule(
            "lines[2].allowPrivate",
            "applies only to reported addresses",
            "address: { static: [198.51.100.7] }",
            "address: { static: [198.51.100.7] }\n    allowPrivate: true"),
        rule(
            "lines[0].allowPrivate",
            "true or false",
            "address: { agent: office-gw }",
            "address: { agent: office-gw }\n    allowPrivate: 'yes'"),
        rule(
            "agents[0].allowPrivate",
            "true or false",
            "lines: [telecom] }",
            "lines: [telecom], allowPrivate: 1 }"),
        rule(
            "dyndns2[0].allowPrivate",
            "true or false",
            "line: home }",
            "line: home, allowPrivate: sure }"),
        rule("agents[0].id", "1 to 63 letters", "id: office-gw", "id: -gw"),
        rule("agents[0].publicKeyFile", "file not found", "office-gw.pub", "missing.pub"),
        rule(
            "agents[0].publicKeyFile",
            "does not hold an Ed25519 public key",
            "office-gw.pub",
            "garbage.pub"),
        rule(
            "agents[0].publicKeyFile",
            "does not hold an Ed25519 public key",
            "office-gw.pub",
            "rsa.pub"),
        rule("agents[0].lines[0]", "unknown line", "lines: [telecom] }", "lines: [telcom] }"),
        rule(
            "agents[0].lines[0]",
            "is reported by 'router1', not 'office-gw'",
            "lines: [telecom] }",
            "lines: [home] }"),
        rule("agents[0].lines", "at least one line", "lines: [telecom] }", "lines: [] }"),
        rule("agents[0].key", "unknown key", "lines: [telecom] }", "lines: [telecom], key: x }"),
        rule(
            "dyndns2[0].username",
            "already used at agents[0].id",
            "username: router1",
            "username: office-gw"),
        rule(
            "dyndns2[0].passwordHashFile",
            "does not hold a bcrypt hash",
            "router1.hash",
            "plain.hash"),
        rule("dyndns2[0].passwordHashFile", "file not found", "router1.hash", "nope.hash"),
        rule(
            "dyndns2[0].hostnames[0]",
            "is not a configured record",
            "[Home.Example.com.]",
            "[nas.example.com]"),
        rule(
            "dyndns2[0].hostnames[0]",
            "does not use line 'home'",
            "[Home.Example.com.]",
            "[app.example.com]"),
        rule("dyndns2[0].hostnames", "1 to 20 host names", "[Home.Example.com.]", "[]"),
        rule("dyndns2[0].line", "has static addresses", "line: home }", "line: unicom }"),
        rule("dyndns2[0].line", "unknown line", "line: home }", "line: hom }"),
        rule("node.gateway.port", "", "id: node-1\n", "id: node-1\n  gateway: { port: 70000 }\n"),
        rule(
            "node.gateway.listen",
            "unknown key",
            "id: node-1\n",
            "id: node-1\n  gateway: { listen: 8080 }\n"),
        rule(
            "node.gateway.tls.keyFile",
            "is required",
            "id: node-1\n",
            "id: node-1\n  gateway: { tls: { certificateFile: gw.crt } }\n"),
        rule(
            "node.gateway.tls.keyFile",
            "PKCS#8",
            "id: node-1\n",
            "id: node-1\n  gateway: { tls: { certificateFile: gw.crt, keyFile: rsa.key } }\n"),
        rule(
            "node.gateway.tls.certificateFile",
            "PEM certificate",
            "id: node-1\n",
            "id: node-1\n  gateway: { tls: { certificateFile: gw.key, keyFile: gw.key } }\n"),
        rule(
            "node.gateway.tls.certificateFile",
            "file not found",
            "id: node-1\n",
            "id: node-1\n  gateway: { tls: { certificateFile: no.crt, keyFile: gw.key } }\n"));
  }

  private static Arguments rule(String path, String reason, String from, String to) {
    return Arguments.of(path, reason, from, to);
  }

  @Test
  void gatewayListensOnPort8080WithoutTlsByDefault() throws ConfigException {
    GatewayListen g = parse(YAML).node().gateway();

    assertThat(g.host()).isEqualTo("0.0.0.0");
    assertThat(g.port()).isEqualTo(8080);
    assertThat(g.tls()).isEmpty();
  }

  @Test
  void readsGatewayAddressAndTlsFilesRelativeToTheConfigFile() throws ConfigException {
    GatewayListen g =
        parse(
                YAML.replace(
                    "id: node-1\n",
                    "id: node-1\n  gateway: { host: 127.0.0.1, port: 8443,"
                        + " tls: { certificateFile: gw.crt, keyFile: gw.key } }\n"))
            .node()
            .gateway();

    assertThat(g.host()).isEqualTo("127.0.0.1");
    assertThat(g.port()).isEqualTo(8443);
    assertThat(g.tls())
        .contains(new GatewayListen.TlsFiles(dir.resolve("gw.crt"), dir.resolve("gw.key")));
  }

  @Test
  void gatewayRateLimitsDefaultTo60PerSourceAnd30PerCredentialAndCanBeRaised()
      throws ConfigException {
    GatewayListen defaults = parse(YAML).node().gateway();
    GatewayListen raised =
        parse(
                YAML.replace(
                    "id: node-1\n",
                    "id: node-1\n  gateway: { rateLimits: { perSourcePerMinute: 6000,"
                        + " perCredentialPerMinute: 3000 } }\n"))
            .node()
            .gateway();

    assertThat(defaults.perSourcePerMinute()).isEqualTo(60);
    assertThat(defaults.perCredentialPerMinute()).isEqualTo(30);
    assertThat(raised.perSourcePerMinute()).isEqualTo(6000);
    assertThat(raised.perCredentialPerMinute()).isEqualTo(3000);
  }

  @Test
  void gatewayTimeoutsAndConnectionCapsHaveDefaultsAndCanBeSet() throws ConfigException {
    GatewayListen defaults = parse(YAML).node().gateway();
    GatewayListen set =
        parse(
                YAML.replace(
                    "id: node-1\n",
                    "id: node-1\n  gateway: { timeouts: { header: 5s, request: 20s },"
                        + " connections: { max: 100, perSource: 4 } }\n"))
            .node()
            .gateway();

    assertThat(defaults.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.maxConnections()).isEqualTo(4096);
    assertThat(defaults.maxConnectionsPerSource()).isEqualTo(64);
    assertThat(set.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(set.requestTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(set.maxConnections()).isEqualTo(100);
    assertThat(set.maxConnectionsPerSource()).isEqualTo(4);
  }

  @Test
  void refusesARequestTimeoutShorterThanTheHeaderTimeout() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                parse(
                    YAML.replace(
                        "id: node-1\n",
                        "id: node-1\n  gateway: { timeouts: { header: 20s, request: 5s } }\n")));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("node.gateway.timeouts.request");
  }

  @Test
  void refusesAZeroGatewayRateLimit() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                parse(
                    YAML.replace(
                        "id: node-1\n",
                        "id: node-1\n  gateway: { rateLimits: { perSourcePerMinute: 0 } }\n")));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("node.gateway.rateLimits.perSourcePerMinute");
  }

  @Test
  void configWithoutTheSectionsHasNoCredentials() throws ConfigException {
    String yaml = YAML.substring(0, YAML.indexOf("agents:")) + "node:\n  id: node-1\n";

    HaddnsConfig c = parse(yaml);

    assertThat(c.agents()).isEmpty();
    assertThat(c.dyndns2()).isEmpty();
    assertThat(List.of(c)).isNotEmpty();
  }
}
