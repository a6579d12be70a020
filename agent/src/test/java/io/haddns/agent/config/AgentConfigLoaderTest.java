package io.haddns.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.agent.report.AddressFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void readsAFullFile() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        id: office-gw
        privateKeyFile: /etc/haddns-agent/agent.key
        stateFile: /var/lib/haddns-agent/state.json
        controllers: [https://ctl-1.example:8443, https://ctl-2.example:8443]
        caFile: /etc/haddns-agent/ca.pem
        interval: 30s
        heartbeat: 10m
        lines:
          - name: telecom
            families: [ipv4, ipv6]
            sourceAddresses: [192.0.2.10]
            detectors:
              - httpsEcho: { urls: [https://a.example/ip, https://b.example/ip], quorum: 2 }
              - stun: { servers: ["stun.example:3478"] }
              - interface: { name: ppp0 }
              - command: { run: [/usr/local/bin/wan-ip], timeout: 5s }
        """);

    AgentSettings s = new AgentConfigLoader().load(file);

    assertThat(s.id()).isEqualTo("office-gw");
    assertThat(s.controllers()).hasSize(2);
    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.lines().get(0).families()).containsExactly(AddressFamily.IPV4, AddressFamily.IPV6);
    assertThat(s.lines().get(0).detectors())
        .extracting(AgentSettings.DetectorSettings::type)
        .containsExactly("httpsEcho", "stun", "interface", "command");
  }

  @Test
  void listsEveryProblemWithItsPath() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        id: "office gw"
        controllers: [ftp://x]
        interval: soon
        lines:
          - name: telecom
            families: [inet]
            detectors: [ { carrierPigeon: {} } ]
        """);

    assertThatThrownBy(() -> new AgentConfigLoader().load(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .anyMatch(p -> p.startsWith("id:"))
                    .anyMatch(p -> p.startsWith("privateKeyFile:"))
                    .anyMatch(p -> p.startsWith("controllers[0]:"))
                    .anyMatch(p -> p.startsWith("interval:"))
                    .anyMatch(p -> p.startsWith("lines[0].families:"))
                    .anyMatch(p -> p.startsWith("lines[0].detectors[0]:")));
  }

  private static final String HEAD =
      """
      id: gw
      privateKeyFile: /k
      stateFile: /s
      controllers: [https://ctl.example]
      """;

  private static final String LINES =
      """
      lines:
        - name: telecom
          detectors: [ { interface: { name: ppp0 } } ]
      """;

  @Test
  void refusesAPlainHttpControllerNamingTheFieldAndTheKeyThatAllowsIt() throws Exception {
    Path file = dir.resolve("http.yaml");
    Files.writeString(
        file,
        """
        id: gw
        privateKeyFile: /k
        stateFile: /s
        controllers: [https://ctl-1.example, "http://ctl-2.example:8080"]
        """
            + LINES);

    assertThatThrownBy(() -> new AgentConfigLoader().load(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .singleElement()
                    .asString()
                    .startsWith("controllers[1]: http://ctl-2.example:8080: http:// sends reports")
                    .contains("insecureHttp: true"));
  }

  @Test
  void acceptsAPlainHttpControllerOnlyWithInsecureHttp() throws Exception {
    Path file = dir.resolve("http-allowed.yaml");
    Files.writeString(
        file,
        """
        id: gw
        privateKeyFile: /k
        stateFile: /s
        insecureHttp: true
        controllers: ["http://127.0.0.1:8080"]
        """
            + LINES);

    assertThat(new AgentConfigLoader().load(file).controllers())
        .containsExactly(java.net.URI.create("http://127.0.0.1:8080"));
  }

  @Test
  void readsAnInterfaceBoundLineWithACloudMetadataDetector() throws Exception {
    Path file = dir.resolve("cloud.yaml");
    Files.writeString(
        file,
        HEAD
            + """
            lines:
              - name: isp2
                interface: eth1
                detectors:
                  - cloudMetadata: { provider: aws, timeout: 1s }
                  - cloudMetadata: { provider: gcp, baseUrl: "http://127.0.0.1:8080", nic: 1 }
            """);

    AgentSettings s = new AgentConfigLoader().load(file);
    AgentSettings.LineSettings line = s.lines().get(0);

    assertThat(line.sourceInterface()).contains("eth1");
    assertThat(line.sourceAddresses()).isEmpty();
    assertThat(line.detectors())
        .extracting(AgentSettings.DetectorSettings::type)
        .containsExactly("cloudMetadata", "cloudMetadata");
    assertThat(
            new DetectorFactory(javax.net.ssl.SSLContext.getDefault(), new java.util.Random(1))
                .create(line))
        .extracting(io.haddns.agent.detect.IpDetector::name)
        .containsExactly("cloud-metadata-aws", "cloud-metadata-gcp");
  }

  @Test
  void theShippedExampleIsValid() throws Exception {
    AgentSettings s =
        new AgentConfigLoader().load(Path.of("..", "deploy", "agent", "agent.example.yaml"));

    assertThat(s.lines())
        .extracting(AgentSettings.LineSettings::name)
        .containsExactly("telecom", "unicom", "cloud");
    assertThat(s.lines().get(2).sourceInterface()).contains("eth1");
  }

  @Test
  void everyEchoServiceInTheShippedExampleAnswersOverTheFamilyItIsAskedFor() throws Exception {
    AgentSettings s =
        new AgentConfigLoader().load(Path.of("..", "deploy", "agent", "agent.example.yaml"));
    DetectorFactory factory =
        new DetectorFactory(javax.net.ssl.SSLContext.getDefault(), new java.util.Random(1));
    int checked = 0;
    for (AgentSettings.LineSettings line : s.lines()) {
      for (io.haddns.agent.detect.IpDetector d : factory.create(line)) {
        if (d instanceof io.haddns.agent.detect.HttpsEchoDetector echo) {
          for (AddressFamily family : line.families()) {
            // The defaults are the services known to answer over exactly that family.
            assertThat(echo.urls().of(family))
                .as("line %s %s", line.name(), family.wireName())
                .hasSizeGreaterThanOrEqualTo(2)
                .isSubsetOf(io.haddns.agent.detect.EchoUrls.DEFAULTS.of(family));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(3);
  }

  @Test
  void refusesAnInterfaceTogetherWithSourceAddresses() throws Exception {
    Path file = dir.resolve("both.yaml");
    Files.writeString(
        file,
        HEAD
            + """
            lines:
              - name: isp2
                interface: eth1
                sourceAddresses: [192.0.2.10]
                detectors: [ { interface: { name: eth1 } } ]
            """);

    assertThatThrownBy(() -> new AgentConfigLoader().load(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .anyMatch(p -> p.startsWith("lines[0].interface:")));
  }

  @Test
  void badCloudMetadataSettingsNameTheirPath() {
    DetectorFactory factory = new DetectorFactory(null, new java.util.Random(1));
    AgentSettings.LineSettings line =
        new AgentSettings.LineSettings(
            "isp2",
            java.util.List.of(AddressFamily.IPV4),
            java.util.List.of(),
            java.util.Optional.empty(),
            false,
            java.util.List.of(
                new AgentSettings.DetectorSettings(
                    "cloudMetadata", java.util.Map.of("provider", "oracle"))));

    assertThatThrownBy(() -> factory.create(line))
        .hasMessageContaining("line isp2 detector cloudMetadata")
        .hasMessageContaining("provider must be aws, gcp, azure or alibaba");
    AgentSettings.LineSettings typo =
        new AgentSettings.LineSettings(
            "isp2",
            java.util.List.of(AddressFamily.IPV4),
            java.util.List.of(),
            java.util.Optional.empty(),
            false,
            java.util.List.of(
                new AgentSettings.DetectorSettings(
                    "cloudMetadata", java.util.Map.of("provider", "aws", "baseURL", "x"))));
    assertThatThrownBy(() -> factory.create(typo)).hasMessageContaining("unknown keys [baseURL]");
  }

  private static AgentSettings.LineSettings echoLine(java.util.Map<String, Object> settings) {
    return new AgentSettings.LineSettings(
        "telecom",
        java.util.List.of(AddressFamily.IPV4, AddressFamily.IPV6),
        java.util.List.of(),
        java.util.Optional.empty(),
        false,
        java.util.List.of(new AgentSettings.DetectorSettings("httpsEcho", settings)));
  }

  private static io.haddns.agent.detect.HttpsEchoDetector echo(
      java.util.Map<String, Object> settings) throws Exception {
    return (io.haddns.agent.detect.HttpsEchoDetector)
        new DetectorFactory(javax.net.ssl.SSLContext.getDefault(), new java.util.Random(1))
            .create(echoLine(settings))
            .get(0);
  }

  @Test
  void anHttpsEchoDetectorWithoutUrlsAsksThePublicDefaultsOfEachFamily() throws Exception {
    io.haddns.agent.detect.HttpsEchoDetector d = echo(java.util.Map.of());

    assertThat(d.urls()).isEqualTo(io.haddns.agent.detect.EchoUrls.DEFAULTS);
    assertThat(d.urls().ipv6())
        .extracting(java.net.URI::getHost)
        .contains("api6.ipify.org", "ipv6.icanhazip.com");
  }

  @Test
  void perFamilyEchoUrlsOverrideTheSharedList() throws Exception {
    io.haddns.agent.detect.HttpsEchoDetector d =
        echo(
            java.util.Map.of(
                "urls", java.util.List.of("https://a.example", "https://b.example"),
                "ipv6Urls", java.util.List.of("https://c.example", "https://d.example")));

    assertThat(d.urls().ipv4())
        .containsExactly(
            java.net.URI.create("https://a.example"), java.net.URI.create("https://b.example"));
    assertThat(d.urls().ipv6())
        .containsExactly(
            java.net.URI.create("https://c.example"), java.net.URI.create("https://d.example"));
  }

  @Test
  void refusesAnHttpsEchoQuorumBelowTwoNamingTheField() {
    assertThatThrownBy(
            () ->
                echo(
                    java.util.Map.of(
                        "urls",
                        java.util.List.of("https://a.example", "https://b.example"),
                        "quorum",
                        1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line telecom detector httpsEcho.quorum: must be at least 2");
    assertThatThrownBy(() -> echo(java.util.Map.of("quorum", "two")))
        .hasMessageStartingWith("line telecom detector httpsEcho.quorum: an integer is required");
    assertThatThrownBy(() -> echo(java.util.Map.of("qourum", 3)))
        .hasMessageContaining("unknown keys [qourum]");
  }

  @Test
  void servesNoMetricsUnlessConfiguredAndDefaultsToLoopbackPort9464() throws Exception {
    String head = "id: gw\nprivateKeyFile: /k\nstateFile: /s\ncontrollers: [https://c]\n";
    Path off = dir.resolve("off.yaml");
    Files.writeString(off, head + LINES);
    Path on = dir.resolve("on.yaml");
    Files.writeString(on, head + "metrics: {}\n" + LINES);
    Path port = dir.resolve("port.yaml");
    Files.writeString(port, head + "metrics: { host: 10.0.0.5, port: 19464 }\n" + LINES);

    assertThat(new AgentConfigLoader().load(off).metrics()).isEmpty();
    assertThat(new AgentConfigLoader().load(on).metrics())
        .contains(new AgentSettings.MetricsSettings("127.0.0.1", 9464));
    assertThat(new AgentConfigLoader().load(port).metrics())
        .contains(new AgentSettings.MetricsSettings("10.0.0.5", 19464));
  }

  @Test
  void refusesAMetricsPortOutOfRangeNamingTheField() throws Exception {
    Path file = dir.resolve("bad-port.yaml");
    Files.writeString(
        file,
        "id: gw\nprivateKeyFile: /k\nstateFile: /s\ncontrollers: [https://c]\n"
            + "metrics: { port: 70000 }\n"
            + LINES);

    assertThatThrownBy(() -> new AgentConfigLoader().load(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactly("metrics.port: must be 1..65535, got 70000"));
  }
}
