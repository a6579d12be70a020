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

/** The {@code type: alidns} provider: defaults, every key, the secret's sources, one row a rule. */
class ConfigLoaderAlidnsTest {
  private static final String EMBEDDED = "provider: { type: embedded }";
  private static final String SECRET = "alidns-Secret-0123456789abcdef";

  private static ConfigLoader loader() {
    return ConfigTesting.loader(
        Map.of("TSIG_SECRET", ENV_SECRET, "ALI_SECRET", SECRET + "\n", "BLANK", " "));
  }

  private static String alidns(String keys) {
    return edit(EMBEDDED, "provider: { type: alidns" + (keys.isEmpty() ? "" : ", " + keys) + " }");
  }

  private static ProviderConfig.Alidns parse(String yaml) throws ConfigException {
    return (ProviderConfig.Alidns) ConfigTesting.parse(loader(), yaml).zones().get(1).provider();
  }

  @Test
  void defaultsNeedOnlyTheKeyIdAndTheSecret() throws ConfigException {
    ProviderConfig.Alidns a =
        parse(alidns("accessKeyId: LTAI5tExample, accessKeySecretEnv: ALI_SECRET"));

    assertThat(a)
        .isEqualTo(
            new ProviderConfig.Alidns(
                URI.create("https://alidns.aliyuncs.com/"),
                "LTAI5tExample",
                new Secret(SECRET.getBytes(StandardCharsets.US_ASCII), "x"),
                "default",
                20,
                Duration.ofSeconds(5)));
    assertThat(a.accessKeySecret().toString()).doesNotContain(SECRET);
  }

  @Test
  void readsEveryKey(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ali.secret"), "  " + SECRET + "\n");
    String yaml =
        alidns(
            "endpoint: \"http://127.0.0.1:8053\", accessKeyId: LTAI5tExample,"
                + " accessKeySecretFile: ali.secret, line: telecom, requestsPerSecond: 5,"
                + " timeout: 3s");

    HaddnsConfig cfg = loader().parse(yaml, "test.yaml", dir);

    assertThat(cfg.zones().get(1).provider())
        .isEqualTo(
            new ProviderConfig.Alidns(
                URI.create("http://127.0.0.1:8053/"),
                "LTAI5tExample",
                new Secret(SECRET.getBytes(StandardCharsets.US_ASCII), "x"),
                "telecom",
                5,
                Duration.ofSeconds(3)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rules")
  void reportsProblemAtItsPath(String path, String reason, String keys) {
    List<ConfigProblem> problems = ConfigTesting.rejection(loader(), alidns(keys)).problems();

    assertThat(problems)
        .as("problems %s", problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.reason()).contains(reason);
            });
    assertThat(problems.toString()).doesNotContain(SECRET).doesNotContain("inline-secret-value");
  }

  @Test
  void anUnknownTypeNamesAlidnsAmongTheSupported() {
    List<ConfigProblem> problems =
        ConfigTesting.problems(edit(EMBEDDED, "provider: { type: alidn }"));

    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo("zones[1].provider.type");
              assertThat(p.reason()).contains("alidns");
            });
  }

  static Stream<Arguments> rules() {
    String p = "zones[1].provider";
    String ok = "accessKeyId: LTAI5t, accessKeySecretEnv: ALI_SECRET";
    return Stream.of(
        Arguments.of(p + ".accessKeyId", "is required", "accessKeySecretEnv: ALI_SECRET"),
        Arguments.of(
            p + ".accessKeyId",
            "AccessKey ID",
            "accessKeyId: \"a b\", accessKeySecretEnv: ALI_SECRET"),
        Arguments.of(p, "give accessKeySecretFile or accessKeySecretEnv", "accessKeyId: LTAI5t"),
        Arguments.of(
            p + ".accessKeySecret",
            "inline secrets are not accepted",
            "accessKeyId: LTAI5t, accessKeySecret: inline-secret-value"),
        Arguments.of(
            p,
            "both accessKeySecretFile and accessKeySecretEnv",
            ok + ", accessKeySecretFile: ali.secret"),
        Arguments.of(
            p + ".accessKeySecretEnv",
            "NOT_SET is not set",
            "accessKeyId: LTAI5t, accessKeySecretEnv: NOT_SET"),
        Arguments.of(
            p + ".accessKeySecretEnv",
            "is empty",
            "accessKeyId: LTAI5t, accessKeySecretEnv: BLANK"),
        Arguments.of(
            p + ".accessKeySecretFile",
            "file not found",
            "accessKeyId: LTAI5t, accessKeySecretFile: missing.secret"),
        Arguments.of(p + ".endpoint", "http or https", ok + ", endpoint: \"ftp://x.test\""),
        Arguments.of(p + ".endpoint", "without a path", ok + ", endpoint: \"https://x.test/api\""),
        Arguments.of(p + ".endpoint", "query", ok + ", endpoint: \"https://x.test/?a=1\""),
        Arguments.of(p + ".line", "resolution line", ok + ", line: \"a b\""),
        Arguments.of(p + ".requestsPerSecond", "", ok + ", requestsPerSecond: 0"),
        Arguments.of(p + ".timeout", "", ok + ", timeout: 5m"),
        Arguments.of(p + ".adopt", "unknown key", ok + ", adopt: true"),
        Arguments.of(p + ".lines", "did you mean", ok + ", lines: default"));
  }
}
