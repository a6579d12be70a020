package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code type: cloudflare} and {@code type: dnspod}: defaults, and one row per rule. */
class ConfigLoaderCloudProvidersTest {
  private static final String RFC2136 =
      "provider: { type: rfc2136, server: \"192.0.2.53:53\", tsig: { name: haddns, algorithm:"
          + " hmac-sha256, secretEnv: TSIG_SECRET } }";
  private static final Map<String, String> ENV =
      Map.of(
          "TSIG_SECRET", ConfigTesting.ENV_SECRET,
          "CF_TOKEN", " cf-token_value-1 \n",
          "TC_ID", "AKIDexample",
          "TC_KEY", "secret-key-example");

  private static String with(String provider) {
    assertThat(BASE).contains(RFC2136);
    return BASE.replace(RFC2136, "provider: " + provider);
  }

  private static ProviderConfig provider(String provider) throws ConfigException {
    return ConfigTesting.parse(ConfigTesting.loader(ENV), with(provider)).zones().get(0).provider();
  }

  @Test
  void readsCloudflareWithDefaults() throws ConfigException {
    ProviderConfig.Cloudflare c =
        (ProviderConfig.Cloudflare) provider("{ type: cloudflare, tokenEnv: CF_TOKEN }");

    assertThat(new String(c.token().value(), StandardCharsets.UTF_8)).isEqualTo("cf-token_value-1");
    assertThat(c.zoneId()).isEmpty();
    assertThat(c.baseUrl()).isEqualTo(URI.create("https://api.cloudflare.com/client/v4"));
    assertThat(c.batchSize()).isEqualTo(200);
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.requestsPerSecond()).isEqualTo(4);
  }

  @Test
  void readsCloudflareWithEveryKey() throws ConfigException {
    ProviderConfig.Cloudflare c =
        (ProviderConfig.Cloudflare)
            provider(
                "{ type: cloudflare, tokenEnv: CF_TOKEN, zoneId: 023e105f4ecef8ad9ca31a8372d0c353,"
                    + " baseUrl: \"http://127.0.0.1:8080/client/v4/\", batchSize: 3500, timeout:"
                    + " 3s, requestsPerSecond: 3 }");

    assertThat(c.zoneId()).contains("023e105f4ecef8ad9ca31a8372d0c353");
    assertThat(c.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8080/client/v4"));
    assertThat(c.batchSize()).isEqualTo(3500);
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.requestsPerSecond()).isEqualTo(3);
  }

  @Test
  void readsDnspodWithDefaults() throws ConfigException {
    ProviderConfig.Dnspod d =
        (ProviderConfig.Dnspod)
            provider("{ type: dnspod, secretIdEnv: TC_ID, secretKeyEnv: TC_KEY }");

    assertThat(new String(d.secretId().value(), StandardCharsets.UTF_8)).isEqualTo("AKIDexample");
    assertThat(d.region()).isEmpty();
    assertThat(d.recordLine()).isEqualTo("默认");
    assertThat(d.requestsPerSecond()).isEqualTo(20);
    assertThat(d.baseUrl()).isEqualTo(URI.create("https://dnspod.tencentcloudapi.com"));
    assertThat(d.toString()).doesNotContain("secret-key-example");
  }

  @Test
  void readsDnspodWithEveryKey() throws ConfigException {
    ProviderConfig.Dnspod d =
        (ProviderConfig.Dnspod)
            provider(
                "{ type: dnspod, secretIdEnv: TC_ID, secretKeyEnv: TC_KEY, region: ap-guangzhou,"
                    + " recordLine: telecom, baseUrl: \"http://127.0.0.1:8080\", timeout: 4s,"
                    + " requestsPerSecond: 7 }");

    assertThat(d.region()).contains("ap-guangzhou");
    assertThat(d.recordLine()).isEqualTo("telecom");
    assertThat(d.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(d.requestsPerSecond()).isEqualTo(7);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rules")
  void reportsProblemAtItsPath(String path, String reason, String provider) {
    List<ConfigProblem> problems =
        ConfigTesting.rejection(ConfigTesting.loader(ENV), with(provider)).problems();

    assertThat(problems)
        .as("problems %s", problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.reason()).contains(reason);
            });
    assertThat(problems.toString()).doesNotContain("secret-key-example").doesNotContain("cf-token");
  }

  static Stream<Arguments> rules() {
    String p = "zones[0].provider";
    return Stream.of(
        Arguments.of(p, "give tokenFile or tokenEnv", "{ type: cloudflare }"),
        Arguments.of(
            p + ".token",
            "inline credentials are not accepted",
            "{ type: cloudflare, token: abc }"),
        Arguments.of(
            p + ".tokenEnv",
            "holds both",
            "{ type: cloudflare, tokenEnv: CF_TOKEN, tokenFile: cf.token }"),
        Arguments.of(p + ".tokenEnv", "is not set", "{ type: cloudflare, tokenEnv: NOT_SET }"),
        Arguments.of(
            p + ".tokenFile", "file not found", "{ type: cloudflare, tokenFile: missing.token }"),
        Arguments.of(
            p + ".zoneId",
            "32 lower-case hex",
            "{ type: cloudflare, tokenEnv: CF_TOKEN, zoneId: example.com }"),
        Arguments.of(
            p + ".batchSize",
            "between 1 and 3500",
            "{ type: cloudflare, tokenEnv: CF_TOKEN, batchSize: 5000 }"),
        Arguments.of(
            p + ".baseUrl",
            "http or https URL",
            "{ type: cloudflare, tokenEnv: CF_TOKEN, baseUrl: \"ftp://example.com\" }"),
        Arguments.of(
            p + ".requestsPerSecond",
            "between 1 and 10000",
            "{ type: cloudflare, tokenEnv: CF_TOKEN, requestsPerSecond: 0 }"),
        Arguments.of(
            p + ".adopt", "unknown key", "{ type: cloudflare, tokenEnv: CF_TOKEN, adopt: true }"),
        Arguments.of(
            p + ".zoneid",
            "did you mean 'zoneId'?",
            "{ type: cloudflare, tokenEnv: CF_TOKEN, zoneid: x }"),
        Arguments.of(
            p, "give secretKeyFile or secretKeyEnv", "{ type: dnspod, secretIdEnv: TC_ID }"),
        Arguments.of(
            p + ".secretKey",
            "inline credentials are not accepted",
            "{ type: dnspod, secretIdEnv: TC_ID, secretKey: abc }"),
        Arguments.of(
            p + ".recordLine",
            "must not be empty",
            "{ type: dnspod, secretIdEnv: TC_ID, secretKeyEnv: TC_KEY, recordLine: \" \" }"),
        Arguments.of(
            p + ".type",
            "supported: rfc2136, embedded, powerdns, route53, cloudflare, dnspod",
            "{ type: route66 }"));
  }
}
