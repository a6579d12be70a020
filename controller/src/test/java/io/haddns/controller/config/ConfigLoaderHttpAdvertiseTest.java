package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node.http.advertise} and {@code HADDNS_HTTP_ADVERTISE}. */
class ConfigLoaderHttpAdvertiseTest {
  private static final String YAML = ConfigLoaderConnectionLimitsTest.YAML;

  @TempDir Path dir;

  private NodeConfig parse(Map<String, String> env, String node) throws ConfigException {
    return ConfigTesting.loader(env)
        .parse(YAML.replace("id: node-1\n", "id: node-1\n" + node), "test.yaml", dir)
        .node();
  }

  private ConfigException rejection(Map<String, String> env, String node) {
    return catchThrowableOfType(ConfigException.class, () -> parse(env, node));
  }

  @Test
  void unsetLeavesTheChoiceToTheNode() throws Exception {
    assertThat(parse(Map.of(), "").httpAdvertise()).isEmpty();
    assertThat(parse(Map.of("HADDNS_HTTP_ADVERTISE", " "), "").httpAdvertise()).isEmpty();
  }

  @Test
  void takesTheFileOrTheEnvironmentWhichWins() throws Exception {
    String file = "  http: { host: 0.0.0.0, advertise: 10.1.2.3 }\n";

    assertThat(parse(Map.of(), file).httpAdvertise()).contains(InetAddress.getByName("10.1.2.3"));
    assertThat(parse(Map.of("HADDNS_HTTP_ADVERTISE", "10.244.1.7"), file).httpAdvertise())
        .contains(InetAddress.getByName("10.244.1.7"));
    assertThat(parse(Map.of("HADDNS_HTTP_ADVERTISE", "fd00::7"), "").httpAdvertise())
        .contains(InetAddress.getByName("fd00::7"));
  }

  @Test
  void refusesAWildcardOrANameNamingTheSource() {
    ConfigException wildcard = rejection(Map.of(), "  http: { advertise: 0.0.0.0 }\n");
    ConfigException name = rejection(Map.of(), "  http: { advertise: haddns-0.local }\n");
    ConfigException env = rejection(Map.of("HADDNS_HTTP_ADVERTISE", "::"), "");

    assertThat(wildcard.getMessage()).contains("node.http.advertise", "not a wildcard");
    assertThat(name.getMessage()).contains("node.http.advertise");
    assertThat(env.getMessage()).contains("node.http.advertise", "HADDNS_HTTP_ADVERTISE");
  }
}
