package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.edit;
import static io.haddns.controller.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code type: route53} provider: defaults, every key, and one row per rule. */
class ConfigLoaderRoute53Test {
  private static final String EMBEDDED = "provider: { type: embedded }";

  private static ProviderConfig provider(String inline) throws ConfigException {
    return ConfigTesting.parse(ConfigTesting.loader(), edit(EMBEDDED, "provider: " + inline))
        .zones()
        .get(1)
        .provider();
  }

  @Test
  void defaultsNeedOnlyTheType() throws ConfigException {
    assertThat(provider("{ type: route53 }"))
        .isEqualTo(
            new ProviderConfig.Route53(
                Optional.empty(),
                Optional.empty(),
                "us-east-1",
                Optional.empty(),
                false,
                Duration.ofSeconds(10)));
  }

  @Test
  void readsEveryKey() throws ConfigException {
    assertThat(
            provider(
                "{ type: route53, hostedZoneId: /hostedzone/Z0123ABC, profile: dns-writer,"
                    + " region: eu-west-1, endpoint: \"http://127.0.0.1:8053\", waitForSync: true,"
                    + " timeout: 3s }"))
        .isEqualTo(
            new ProviderConfig.Route53(
                Optional.of("Z0123ABC"),
                Optional.of("dns-writer"),
                "eu-west-1",
                Optional.of(URI.create("http://127.0.0.1:8053")),
                true,
                Duration.ofSeconds(3)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rules")
  void reportsProblemAtItsPath(String path, String reason, String inline) {
    List<ConfigProblem> problems = problems(edit(EMBEDDED, "provider: " + inline));
    assertThat(problems)
        .as("problems %s", problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.reason()).contains(reason);
            });
  }

  static Stream<Arguments> rules() {
    String at = "zones[1].provider.";
    return Stream.of(
        Arguments.of(at + "hostedZone", "unknown key", "{ type: route53, hostedZone: Z1 }"),
        Arguments.of(
            at + "hostedZoneId", "hosted zone id", "{ type: route53, hostedZoneId: \"z 1\" }"),
        Arguments.of(at + "region", "AWS region", "{ type: route53, region: Frankfurt }"),
        Arguments.of(at + "profile", "profile name", "{ type: route53, profile: \"a b\" }"),
        Arguments.of(
            at + "endpoint", "http or https", "{ type: route53, endpoint: \"ftp://x.test\" }"),
        Arguments.of(
            at + "waitForSync", "true or false", "{ type: route53, waitForSync: \"yes\" }"),
        Arguments.of(at + "adopt", "unknown key", "{ type: route53, adopt: true }"),
        Arguments.of(at + "timeout", "", "{ type: route53, timeout: 5m }"),
        Arguments.of(
            at + "secretAccessKey", "unknown key", "{ type: route53, secretAccessKey: abc }"),
        Arguments.of(at + "type", "route53", "{ type: route54 }"));
  }
}
