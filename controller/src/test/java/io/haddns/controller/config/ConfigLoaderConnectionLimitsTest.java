package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.netty.ListenerLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code node.http}, {@code node.dns} connection limits and {@code node.descriptors}. */
class ConfigLoaderConnectionLimitsTest {
  /** A valid configuration ending in {@code node: id: node-1}, for the node section's tests. */
  static final String YAML =
      """
      cluster:
        name: prod
      lines:
        - name: unicom
          address: { static: [198.51.100.7] }
          probes: [ { tcp: { port: 443 } } ]
      zones:
        - name: example.com
          provider: { type: embedded }
      records:
        - { name: app.example.com, lines: [unicom] }
      node:
        id: node-1
      """;

  @TempDir Path dir;

  private NodeConfig parse(String node) throws ConfigException {
    return ConfigTesting.loader(Map.of())
        .parse(YAML.replace("id: node-1\n", "id: node-1\n" + node), "test.yaml", dir)
        .node();
  }

  @Test
  void connectionLimitsAndReserveHaveDefaults() throws ConfigException {
    NodeConfig node = parse("");

    assertThat(node.httpLimits()).isEqualTo(new ListenerLimits(64, 16, Duration.ofSeconds(10)));
    assertThat(node.dnsTcpLimits()).isEqualTo(new ListenerLimits(512, 32, Duration.ofSeconds(5)));
    assertThat(node.descriptorReserve()).isEmpty();
  }

  @Test
  void connectionLimitsAndReserveCanBeSet() throws ConfigException {
    NodeConfig node =
        parse(
            """
              http: { connections: { max: 8, perSource: 2 }, timeouts: { request: 3s } }
              dns: { connections: { max: 40, perSource: 4 }, timeouts: { query: 2s } }
              descriptors: { reserve: 100 }
            """);

    assertThat(node.httpLimits()).isEqualTo(new ListenerLimits(8, 2, Duration.ofSeconds(3)));
    assertThat(node.dnsTcpLimits()).isEqualTo(new ListenerLimits(40, 4, Duration.ofSeconds(2)));
    assertThat(node.descriptorReserve()).isEqualTo(OptionalInt.of(100));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http: { connections: { max: 0 } } | node.http.connections.max",
        "dns: { connections: { perSource: -1 } } | node.dns.connections.perSource",
        "dns: { timeouts: { query: 0s } } | node.dns.timeouts.query",
        "http: { timeouts: { query: 1s } } | node.http.timeouts.query",
        "descriptors: { reserve: 0 } | node.descriptors.reserve",
      })
  void refusesInvalidLimitsNamingTheField(String node, String field) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> parse("  " + node + "\n"));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains(field);
  }
}
