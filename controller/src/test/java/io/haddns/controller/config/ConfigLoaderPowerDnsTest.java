package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.ENV_SECRET;
import static io.haddns.controller.config.ConfigTesting.edit;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code provider: { type: powerdns }}: defaults, the API key's sources, one row per rule. */
class ConfigLoaderPowerDnsTest {
  private static final String EMBEDDED = "provider: { type: embedded }";
  private static final String API_KEY = "pdns-api-key-0123";

  private static ConfigLoader loader() {
    return ConfigTesting.loader(Map.of("TSIG_SECRET", ENV_SECRET, "PDNS_KEY", API_KEY + "\n"));
  }

  private static String powerdns(String keys) {
    return edit(EMBEDDED, "provider: { type: powerdns, " + keys + " }");
  }

  private static ProviderConfig.PowerDns parse(String yaml) throws ConfigException {
    HaddnsConfig cfg = ConfigTesting.parse(loader(), yaml);
    return (ProviderConfig.PowerDns) cfg.zones().get(1).provider();
  }

  @Test
  void defaultsApply() throws ConfigException {
    ProviderConfig.PowerDns p =
        parse(powerdns("url: \"http://127.0.0.1:8081/\", apiKeyEnv: PDNS_KEY"));

    assertThat(p.url()).isEqualTo(URI.create("http://127.0.0.1:8081"));
    assertThat(p.serverId()).isEqualTo("localhost");
    assertThat(new String(p.apiKey().value(), StandardCharsets.US_ASCII)).isEqualTo(API_KEY);
    assertThat(p.apiKey().toString()).doesNotContain(API_KEY);
    assertThat(p.batchSize()).isEqualTo(1000);
    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void everyKeyIsRead(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pdns.key"), "  " + API_KEY + "\n");
    String yaml =
        powerdns(
            "url: \"https://pdns.example.net:8443\", serverId: ns-a, apiKeyFile: pdns.key,"
                + " batchSize: 250, timeout: 1500ms");

    HaddnsConfig cfg = loader().parse(yaml, "test.yaml", dir);
    ProviderConfig.PowerDns p = (ProviderConfig.PowerDns) cfg.zones().get(1).provider();

    assertThat(p)
        .isEqualTo(
            new ProviderConfig.PowerDns(
                URI.create("https://pdns.example.net:8443"),
                "ns-a",
                new Secret(API_KEY.getBytes(StandardCharsets.US_ASCII), "x"),
                250,
                Duration.ofMillis(1500)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rules")
  void reportsProblemAtItsPath(String path, String reason, String keys) {
    List<ConfigProblem> problems = ConfigTesting.rejection(loader(), powerdns(keys)).problems();

    assertThat(problems)
        .as("problems %s", problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.reason()).contains(reason);
            });
    assertThat(problems.toString()).doesNotContain(API_KEY);
  }

  static Stream<Arguments> rules() {
    String p = "zones[1].provider";
    return Stream.of(
        Arguments.of(p + ".url", "is required", "apiKeyEnv: PDNS_KEY"),
        Arguments.of(p + ".url", "http:// or https://", "url: \"ftp://h\", apiKeyEnv: PDNS_KEY"),
        Arguments.of(
            p + ".url", "http:// or https://", "url: \"127.0.0.1:8081\", apiKeyEnv: PDNS_KEY"),
        Arguments.of(p + ".url", "query", "url: \"http://h/?x=1\", apiKeyEnv: PDNS_KEY"),
        Arguments.of(p, "give apiKeyFile or apiKeyEnv", "url: \"http://h\""),
        Arguments.of(
            p,
            "both apiKeyFile and apiKeyEnv",
            "url: \"http://h\", apiKeyEnv: PDNS_KEY, apiKeyFile: k"),
        Arguments.of(
            p + ".apiKey",
            "inline secrets are not accepted",
            "url: \"http://h\", apiKey: " + API_KEY),
        Arguments.of(
            p + ".apiKeyEnv", "NOT_SET is not set", "url: \"http://h\", apiKeyEnv: NOT_SET"),
        Arguments.of(
            p + ".apiKeyFile", "file not found", "url: \"http://h\", apiKeyFile: missing.key"),
        Arguments.of(
            p + ".serverId",
            "letters, digits",
            "url: \"http://h\", apiKeyEnv: PDNS_KEY, serverId: \"a/b\""),
        Arguments.of(
            p + ".batchSize",
            "between 1 and 10000",
            "url: \"http://h\", apiKeyEnv: PDNS_KEY, batchSize: 0"),
        Arguments.of(
            p + ".timeout", "needs a unit", "url: \"http://h\", apiKeyEnv: PDNS_KEY, timeout: 2"),
        Arguments.of(
            p + ".adopt", "unknown key", "url: \"http://h\", apiKeyEnv: PDNS_KEY, adopt: true"),
        Arguments.of(
            p + ".server", "did you mean", "url: \"http://h\", apiKeyEnv: PDNS_KEY, server: x"));
  }
}
