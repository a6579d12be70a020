package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared fixtures for the configuration tests. */
final class ConfigTesting {
  /** base64 of "haddns-test-secret-value"; never a real key. */
  static final String ENV_SECRET = "aGFkZG5zLXRlc3Qtc2VjcmV0LXZhbHVl";

  static final String BASE =
      """
      cluster:
        name: prod
        sessionTimeout: 6s
      lines:
        - name: telecom
          address: { agent: office-gw }
          probes: [ { icmp: {} }, { tcp: { port: 443 } } ]
          interval: 500ms
          timeout: 400ms
          fall: 3
          rise: 2
        - name: unicom
          address: { static: [198.51.100.7, "2001:db8::7"] }
          probes: [ { tcp: { port: 8443 } } ]
      zones:
        - name: example.com
          provider: { type: rfc2136, server: "192.0.2.53:53", tsig: { name: haddns, algorithm: hmac-sha256, secretEnv: TSIG_SECRET } }
        - name: example.net
          provider: { type: embedded }
      records:
        - { name: app.example.com, type: A, ttl: 30, policy: failover, lines: [telecom, unicom] }
        - { name: www.example.net, lines: [unicom] }
      node:
        id: node-1
      """;

  private ConfigTesting() {}

  static ConfigLoader loader() {
    return loader(Map.of("TSIG_SECRET", ENV_SECRET));
  }

  static ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(
        env,
        () -> {
          throw new AssertionError("the local host name must not be looked up");
        });
  }

  /** {@link #BASE} with each {@code edits} pair applied: every "from" must occur exactly once. */
  static String edit(String... edits) {
    String yaml = BASE;
    for (int i = 0; i < edits.length; i += 2) {
      String from = edits[i];
      assertThat(yaml.indexOf(from)).as("fragment '%s'", from).isNotNegative();
      assertThat(yaml.indexOf(from)).as("unique '%s'", from).isEqualTo(yaml.lastIndexOf(from));
      yaml = yaml.replace(from, edits[i + 1]);
    }
    return yaml;
  }

  static HaddnsConfig parse(ConfigLoader loader, String yaml) throws ConfigException {
    return loader.parse(yaml, "test.yaml", Path.of("/etc/haddns"));
  }

  static ConfigException rejection(ConfigLoader loader, String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(loader, yaml));
    assertThat(e).as("the configuration should have been rejected").isNotNull();
    return e;
  }

  static List<ConfigProblem> problems(String yaml) {
    return rejection(loader(), yaml).problems();
  }

  static Optional<ConfigProblem> at(List<ConfigProblem> problems, String path) {
    return problems.stream().filter(p -> p.path().equals(path)).findFirst();
  }

  static Path resource(String name) {
    try {
      return Path.of(ConfigTesting.class.getResource("/config/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
