package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.BASE;
import static io.haddns.controller.config.ConfigTesting.ENV_SECRET;
import static io.haddns.controller.config.ConfigTesting.edit;
import static io.haddns.controller.config.ConfigTesting.loader;
import static io.haddns.controller.config.ConfigTesting.parse;
import static io.haddns.controller.config.ConfigTesting.rejection;
import static io.haddns.controller.config.ConfigTesting.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.probe.engine.ProbeSpec;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String FULL_FILE_SECRET = "haddns-test-key-full-example-1";
  private static final String NET_SECRET = "haddns-net-secret";
  private static final String ZK_FILE_SECRET = "zk-full-example-digest-secret-7";

  @TempDir Path dir;

  @Test
  void loadsTheCompleteExampleIntoRecords() throws Exception {
    Path file = resource("full.yaml");
    Map<String, String> env = Map.of("HADDNS_TSIG_NET", base64(NET_SECRET));

    HaddnsConfig config = loader(env).load(file);

    Path keyFile = file.getParent().resolve("tsig.key");
    Secret zkSecret =
        new Secret(
            ZK_FILE_SECRET.getBytes(StandardCharsets.UTF_8),
            "file " + file.getParent().resolve("zk.secret"));
    HaddnsConfig expected =
        HaddnsConfig.builder(
                new ClusterConfig(
                    "prod",
                    Optional.of("zk-0:2181,zk-1:2181,zk-2:2181/haddns"),
                    Optional.of(
                        new ZooKeeperAccess(
                            new ZooKeeperAccess.Auth.Digest("haddns", zkSecret),
                            true,
                            Optional.of(
                                new ZooKeeperAccess.Tls(
                                    Optional.empty(),
                                    Optional.empty(),
                                    Optional.of(file.getParent().resolve("zk-trust.p12")),
                                    Optional.of(zkSecret),
                                    false)))),
                    Duration.ofSeconds(6),
                    Duration.ofSeconds(3),
                    Path.of("/var/lib/haddns"),
                    Duration.ofMinutes(1)),
                new NodeConfig("node-1", "127.0.0.1", 8080))
            .lines(
                List.of(
                    new LineConfig(
                        "telecom",
                        new LineAddress.Agent("office-gw"),
                        List.of(new ProbeSpec.Icmp(), new ProbeSpec.Tcp(443)),
                        Duration.ofMillis(500),
                        Duration.ofMillis(400),
                        3,
                        2),
                    new LineConfig(
                        "unicom",
                        new LineAddress.Static(
                            List.of(
                                InetAddress.getByName("198.51.100.7"),
                                InetAddress.getByName("2001:db8::7"))),
                        List.of(new ProbeSpec.Tcp(443)),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(800),
                        3,
                        2)))
            .zones(
                List.of(
                    new ZoneConfig(
                        "example.com",
                        new ProviderConfig.Rfc2136(
                            "192.0.2.53",
                            53,
                            Optional.of(
                                new TsigConfig(
                                    "haddns",
                                    "hmac-sha256",
                                    new Secret(bytes(FULL_FILE_SECRET), "file " + keyFile))),
                            500,
                            Duration.ofSeconds(2))),
                    new ZoneConfig(
                        "example.net",
                        new ProviderConfig.Rfc2136(
                            "2001:db8::53",
                            53,
                            Optional.of(
                                new TsigConfig(
                                    "haddns-net",
                                    "hmac-sha256",
                                    new Secret(bytes(NET_SECRET), "environment variable X"))),
                            100,
                            Duration.ofSeconds(2))),
                    new ZoneConfig("dyn.example.org", new ProviderConfig.Embedded())))
            .records(
                List.of(
                    record(
                        "app.example.com",
                        RecordType.A,
                        30,
                        Policy.FAILOVER,
                        "example.com",
                        "telecom",
                        "unicom"),
                    record(
                        "www.example.com",
                        RecordType.A,
                        60,
                        Policy.MULTIVALUE,
                        "example.com",
                        "telecom",
                        "unicom"),
                    record(
                        "www.example.net",
                        RecordType.AAAA,
                        60,
                        Policy.FAILOVER,
                        "example.net",
                        "unicom"),
                    record(
                        "office.dyn.example.org",
                        RecordType.A,
                        60,
                        Policy.FAILOVER,
                        "dyn.example.org",
                        "telecom")))
            .build();
    assertThat(config).isEqualTo(expected);
    TsigConfig fileKey =
        ((ProviderConfig.Rfc2136) config.zones().get(0).provider()).tsig().orElseThrow();
    assertThat(fileKey.secret().source()).isEqualTo("file " + keyFile);
  }

  @Test
  void acceptsTheExampleFilesOfTheConfigurationReference() throws Exception {
    // Surefire runs in the module directory; the reference lives in the repository's docs/.
    String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
    Path key = dir.resolve("tsig");
    Files.writeString(key, base64(NET_SECRET));
    List<String> files =
        Pattern.compile("```yaml\n(cluster:.*?)```", Pattern.DOTALL)
            .matcher(reference)
            .results()
            .map(
                m ->
                    m.group(1)
                        .replace("/run/secrets/tsig", key.toString())
                        .replace("/run/secrets/zookeeper", key.toString()))
            .filter(yaml -> yaml.contains("\nlines:"))
            .toList();
    ConfigLoader loader = loader(Map.of("HADDNS_TSIG_NET", base64(NET_SECRET), "HOSTNAME", "n1"));

    assertThat(files).hasSize(2);
    for (String yaml : files) {
      assertThat(loader.parse(yaml, "configuration.md", dir).zones()).isNotEmpty();
    }
  }

  @Test
  void acceptsAnEmbeddedZoneWithAnEmptyRecordsList() throws Exception {
    HaddnsConfig config =
        ConfigTesting.parse(
            ConfigTesting.loader(),
            """
            cluster: { name: lab }
            lines:
              - { name: uplink, address: { static: [192.0.2.10] }, probes: [ { tcp: { port: 80 } } ] }
            zones:
              - { name: empty.example, provider: { type: embedded } }
            records: []
            node: { id: node-1 }
            """);

    assertThat(config.zones())
        .singleElement()
        .satisfies(z -> assertThat(z.name()).isEqualTo("empty.example"));
    assertThat(config.records()).isEmpty();
  }

  @Test
  void fillsDefaultsForEverythingLeftOut() throws Exception {
    Path file = resource("minimal.yaml");

    HaddnsConfig config = loader(Map.of("HOSTNAME", "lab-node")).load(file);

    assertThat(config.cluster())
        .isEqualTo(
            new ClusterConfig(
                "lab",
                Optional.empty(),
                ClusterConfig.DEFAULT_SESSION_TIMEOUT,
                ClusterConfig.DEFAULT_CONNECTION_TIMEOUT,
                file.getParent().resolve("data"),
                ClusterConfig.DEFAULT_RESYNC_INTERVAL));
    LineConfig line = config.lines().get(0);
    assertThat(line.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(line.timeout()).isEqualTo(Duration.ofMillis(800));
    assertThat(line.fall()).isEqualTo(3);
    assertThat(line.rise()).isEqualTo(2);
    assertThat(line.probes()).containsExactly(new ProbeSpec.Icmp());
    assertThat(config.records()).isEmpty();
    assertThat(config.node()).isEqualTo(new NodeConfig("lab-node", "0.0.0.0", 8053));
  }

  @Test
  void appliesRecordDefaultsAndRfc2136Defaults() throws Exception {
    HaddnsConfig config = parse(loader(), BASE);

    RecordConfig www = config.records().get(1);
    assertThat(www.key()).isEqualTo(new RecordKey("www.example.net", RecordType.A));
    assertThat(www.ttl()).isEqualTo(60);
    assertThat(www.policy()).isEqualTo(Policy.FAILOVER);
    ProviderConfig.Rfc2136 rfc2136 = (ProviderConfig.Rfc2136) config.zones().get(0).provider();
    assertThat(rfc2136.batchSize()).isEqualTo(100);
    assertThat(rfc2136.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(rfc2136.tsig().orElseThrow().secret().value())
        .isEqualTo(bytes("haddns-test-secret-value"));
  }

  @Test
  void defaultTimeoutNeverExceedsAShortInterval() throws Exception {
    HaddnsConfig config =
        parse(loader(), edit("    interval: 500ms\n    timeout: 400ms\n", "    interval: 300ms\n"));

    assertThat(config.lines().get(0).timeout()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void reportsEveryProblemOfAFileAtOnce() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> loader(Map.of("HOSTNAME", "n1")).load(resource("many-problems.yaml")));

    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactly(
            "cluster.name",
            "cluster.sessionTimeout",
            "lines[0].intervall",
            "lines[0].probes[0].tcp.port",
            "zones[0].provider.type",
            "records[0].name");
    assertThat(e.problems().get(0).value()).isEqualTo("Prod_Cluster");
    assertThat(e.problems().get(1).value()).isEqualTo("6");
    assertThat(e.getMessage())
        .contains("6 problem(s)")
        .contains("lines[0].probes[0].tcp.port: must be between 1 and 65535 (was '70000')");
  }

  @Test
  void canonicalizesZoneAndRecordNamesAndPicksTheLongestZone() throws Exception {
    String yaml =
        edit(
            "  - name: example.net\n",
            "  - name: Sub.Example.COM.\n",
            "www.example.net",
            "'*.Sub.Example.com.'");

    HaddnsConfig config = parse(loader(), yaml);

    assertThat(config.zones())
        .extracting(ZoneConfig::name)
        .containsExactly("example.com", "sub.example.com");
    assertThat(config.records().get(0).zone()).isEqualTo("example.com");
    assertThat(config.records().get(1).key().name()).isEqualTo("*.sub.example.com");
    assertThat(config.records().get(1).zone()).isEqualTo("sub.example.com");
  }

  @Test
  void keepsTheZooKeeperConnectStringWithoutBlanks() throws Exception {
    String yaml =
        edit(
            "  name: prod",
            "  name: prod\n  zookeeper: 'zk-0:2181, zk-1 ,[2001:db8::1]:2181/haddns'\n"
                + "  zookeeperAuth: { scheme: none }");

    assertThat(parse(loader(), yaml).cluster().zookeeper())
        .contains("zk-0:2181,zk-1,[2001:db8::1]:2181/haddns");
  }

  @Test
  void acceptsEveryServerForm() throws Exception {
    assertThat(server("ns1.example.com")).isEqualTo(new HostPort("ns1.example.com", 53));
    assertThat(server("192.0.2.53")).isEqualTo(new HostPort("192.0.2.53", 53));
    assertThat(server("192.0.2.53:5353")).isEqualTo(new HostPort("192.0.2.53", 5353));
    assertThat(server("[2001:db8::53]:5353")).isEqualTo(new HostPort("2001:db8::53", 5353));
    assertThat(server("[2001:db8::53]")).isEqualTo(new HostPort("2001:db8::53", 53));
    assertThat(server("2001:db8::53")).isEqualTo(new HostPort("2001:db8::53", 53));
  }

  @Test
  void acceptsTsigAlgorithmsInAnyCaseWithOrWithoutTrailingDot() throws Exception {
    for (String written : List.of("HMAC-SHA512.", "hmac-sha512", "Hmac-Sha512")) {
      HaddnsConfig config =
          parse(loader(), edit("algorithm: hmac-sha256", "algorithm: " + written));
      ProviderConfig.Rfc2136 p = (ProviderConfig.Rfc2136) config.zones().get(0).provider();
      assertThat(p.tsig().orElseThrow().algorithm()).as(written).isEqualTo("hmac-sha512");
    }
  }

  @Test
  void readsSecretFileRelativeToTheConfigDirectoryAndUnwrapsBase64Lines() throws Exception {
    Files.writeString(dir.resolve("key.b64"), "  aGFkZG5zLXRlc3Qt\nc2VjcmV0LXZhbHVl\n\n");
    Path file = dir.resolve("haddns.yaml");
    Files.writeString(file, edit("secretEnv: TSIG_SECRET", "secretFile: key.b64"));

    HaddnsConfig config = loader().load(file);

    Secret secret =
        ((ProviderConfig.Rfc2136) config.zones().get(0).provider()).tsig().orElseThrow().secret();
    assertThat(secret.value()).isEqualTo(bytes("haddns-test-secret-value"));
    assertThat(secret.source()).isEqualTo("file " + dir.resolve("key.b64"));
  }

  @Test
  void rejectsBadSecretsWithoutEverPrintingThem() throws Exception {
    String notBase64 = "this-is-the-secret-text!";
    Files.writeString(dir.resolve("bad.key"), notBase64);
    Files.writeString(dir.resolve("empty.key"), " \n");
    Files.createDirectory(dir.resolve("dir.key"));
    ConfigLoader loader = loader(Map.of("BAD", notBase64, "EMPTY", ""));

    ProblemAndMessage badFile = reject(loader, "secretFile: bad.key");
    ProblemAndMessage emptyFile = reject(loader, "secretFile: empty.key");
    ProblemAndMessage directory = reject(loader, "secretFile: dir.key");
    ProblemAndMessage badEnv = reject(loader, "secretEnv: BAD");
    ProblemAndMessage emptyEnv = reject(loader, "secretEnv: EMPTY");
    ProblemAndMessage inline = reject(loader, "secret: " + notBase64);
    ProblemAndMessage secretAsEnvName = reject(loader, "secretEnv: '" + notBase64 + "'");

    assertThat(badFile.reason())
        .contains("not valid base64")
        .contains("file " + dir.resolve("bad.key"));
    assertThat(emptyFile.reason()).contains("is empty");
    assertThat(directory.reason()).contains("is a directory");
    assertThat(badEnv.reason()).contains("not valid base64").contains("environment variable BAD");
    assertThat(emptyEnv.reason()).contains("environment variable EMPTY is empty");
    assertThat(inline.reason()).contains("inline secrets are not accepted");
    assertThat(secretAsEnvName.reason()).contains("not a valid environment variable name");
    for (ProblemAndMessage p :
        List.of(badFile, emptyFile, directory, badEnv, emptyEnv, inline, secretAsEnvName)) {
      assertThat(p.message()).doesNotContain(notBase64).doesNotContain("secret-text");
    }
  }

  @Test
  void neverPrintsSecretsInTheConfigurationsToString() throws Exception {
    HaddnsConfig config =
        loader(Map.of("HADDNS_TSIG_NET", base64(NET_SECRET))).load(resource("full.yaml"));

    assertThat(config.toString())
        .contains("Secret[file ")
        .doesNotContain(FULL_FILE_SECRET)
        .doesNotContain(ZK_FILE_SECRET)
        .doesNotContain("aGFkZG5zLXRlc3Qta2V5")
        .doesNotContain(NET_SECRET)
        .doesNotContain(base64(NET_SECRET));
  }

  @Test
  void neverQuotesTheDocumentInYamlSyntaxErrors() {
    ConfigException e = rejection(loader(), "cluster: [1\nsecret: c2VjcmV0LXRleHQ=\n");

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).path()).isEqualTo(ConfigLoader.FILE_PATH);
    assertThat(e.problems().get(0).reason()).startsWith("is not valid YAML").contains("line 2");
    assertThat(e.getMessage()).doesNotContain("c2VjcmV0LXRleHQ=");
  }

  @Test
  void rejectsFilesThatCannotBeUsedWithOneClearProblem() throws Exception {
    Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9});
    Files.writeString(dir.resolve("empty.yaml"), "# nothing here\n");
    Files.writeString(dir.resolve("list.yaml"), "- cluster\n");
    Files.writeString(dir.resolve("two.yaml"), BASE + "---\n" + BASE);

    assertThat(fileProblem(dir.resolve("missing.yaml"))).isEqualTo("file not found");
    assertThat(fileProblem(dir)).isEqualTo("is a directory, not a file");
    assertThat(fileProblem(dir.resolve("latin1.yaml"))).isEqualTo("is not UTF-8 text");
    assertThat(fileProblem(dir.resolve("empty.yaml"))).startsWith("is empty");
    assertThat(fileProblem(dir.resolve("list.yaml"))).startsWith("must be a mapping");
    assertThat(fileProblem(dir.resolve("two.yaml"))).contains("more than one YAML document");
  }

  @Test
  void resolvesDataDirAgainstTheFilesDirectoryUnlessAbsolute() throws Exception {
    String relative = edit("sessionTimeout: 6s", "sessionTimeout: 6s\n  dataDir: state/../zk");
    String absolute = edit("sessionTimeout: 6s", "sessionTimeout: 6s\n  dataDir: /srv/haddns");

    assertThat(parse(loader(), relative).cluster().dataDir()).isEqualTo(Path.of("/etc/haddns/zk"));
    assertThat(parse(loader(), absolute).cluster().dataDir()).isEqualTo(Path.of("/srv/haddns"));
    assertThat(parse(loader(), BASE).cluster().dataDir()).isEqualTo(Path.of("/etc/haddns/data"));
  }

  @Test
  void takesNodeIdFromEnvironmentThenFileThenHostnameThenLocalHost() throws Exception {
    String withoutId = edit("node:\n  id: node-1\n", "");
    AtomicInteger lookups = new AtomicInteger();
    ConfigLoader local =
        new ConfigLoader(
            Map.of("TSIG_SECRET", ENV_SECRET),
            () -> {
              lookups.incrementAndGet();
              return Optional.of("local-host");
            });

    assertThat(nodeId(Map.of("HADDNS_NODE_ID", "env-node", "HOSTNAME", "host"), BASE))
        .isEqualTo("env-node");
    assertThat(nodeId(Map.of("HOSTNAME", "host"), BASE)).isEqualTo("node-1");
    assertThat(nodeId(Map.of("HOSTNAME", "host"), withoutId)).isEqualTo("host");
    assertThat(lookups).hasValue(0);
    assertThat(parse(local, withoutId).node().id()).isEqualTo("local-host");
    assertThat(lookups).hasValue(1);
  }

  @Test
  void reportsANodeIdThatCannotBeDetermined() {
    String withoutId = edit("node:\n  id: node-1\n", "");
    ConfigLoader noHostName = new ConfigLoader(Map.of("TSIG_SECRET", ENV_SECRET), Optional::empty);
    ConfigLoader badEnv = loader(Map.of("TSIG_SECRET", ENV_SECRET, "HADDNS_NODE_ID", "a/b"));

    assertThat(rejection(noHostName, withoutId).problems())
        .singleElement()
        .satisfies(
            p -> assertThat(p.reason()).contains("set node.id, HADDNS_NODE_ID or --node-id"));
    assertThat(rejection(badEnv, BASE).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("node.id");
              assertThat(p.value()).isEqualTo("a/b");
              assertThat(p.reason()).contains("HADDNS_NODE_ID");
            });
  }

  private static String nodeId(Map<String, String> env, String yaml) throws ConfigException {
    Map<String, String> all = new HashMap<>(env);
    all.put("TSIG_SECRET", ENV_SECRET);
    return parse(loader(all), yaml).node().id();
  }

  private String fileProblem(Path file) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader().load(file));
    assertThat(e.problems())
        .singleElement()
        .extracting(ConfigProblem::path)
        .isEqualTo(ConfigLoader.FILE_PATH);
    assertThat(e.getMessage()).startsWith(file.toString());
    return e.problems().get(0).reason();
  }

  private static HostPort server(String written) throws ConfigException {
    HaddnsConfig config = parse(loader(), edit("\"192.0.2.53:53\"", "\"" + written + "\""));
    ProviderConfig.Rfc2136 p = (ProviderConfig.Rfc2136) config.zones().get(0).provider();
    return new HostPort(p.host(), p.port());
  }

  private record ProblemAndMessage(String reason, String message) {}

  private ProblemAndMessage reject(ConfigLoader loader, String tsigSecretKey) throws Exception {
    Path file = dir.resolve("haddns.yaml");
    Files.writeString(file, edit("secretEnv: TSIG_SECRET", tsigSecretKey));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));
    assertThat(e).as(tsigSecretKey).isNotNull();
    assertThat(e.problems()).as(tsigSecretKey).hasSize(1);
    assertThat(e.problems().get(0).path()).startsWith("zones[0].provider.tsig");
    return new ProblemAndMessage(e.problems().get(0).reason(), e.getMessage());
  }

  private static RecordConfig record(
      String name, RecordType type, long ttl, Policy policy, String zone, String... lines) {
    return new RecordConfig(new RecordKey(name, type), ttl, policy, List.of(lines), zone);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(bytes(s));
  }

  @Test
  void topLevelDryRunAppliesToEveryZoneThatDoesNotSayOtherwise() throws Exception {
    HaddnsConfig c =
        ConfigTesting.loader()
            .parse(
                "dryRun: true\n"
                    + ConfigTesting.edit(
                        "    provider: { type: embedded }\n",
                        "    provider: { type: embedded }\n    dryRun: false\n"),
                "t.yaml",
                java.nio.file.Path.of("."));

    assertThat(c.zone("example.com").orElseThrow().dryRun()).isTrue();
    assertThat(c.zone("example.net").orElseThrow().dryRun()).isFalse();
    assertThat(c.records().getFirst().adopt()).isFalse();
  }

  @Test
  void readsTheCapOnPerLineProbeMetricsAndRefusesOneOutOfRange() throws Exception {
    assertThat(parse(loader(), BASE).metrics()).isEqualTo(MetricsConfig.defaults());
    assertThat(parse(loader(), BASE + "metrics: { probeLines: 3 }\n").metrics().probeLines())
        .isEqualTo(3);
    assertThat(
            ConfigTesting.at(
                    ConfigTesting.problems(BASE + "metrics: { probeLines: -1 }\n"),
                    "metrics.probeLines")
                .orElseThrow()
                .reason())
        .contains("10000");
  }
}
