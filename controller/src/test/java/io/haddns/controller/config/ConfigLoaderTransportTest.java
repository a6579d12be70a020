package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.haddns.controller.netty.TransportPreference;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node.transport} and {@code node.tcpProbes}. */
class ConfigLoaderTransportTest {
  @TempDir Path dir;

  private NodeConfig parse(String node) throws ConfigException {
    return ConfigTesting.loader(Map.of())
        .parse(
            ConfigLoaderConnectionLimitsTest.YAML.replace("id: node-1\n", "id: node-1\n" + node),
            "test.yaml",
            dir)
        .node();
  }

  @Test
  void transportIsAutomaticByDefault() throws ConfigException {
    assertThat(parse("").transport()).isEqualTo(TransportPreference.AUTO);
  }

  @Test
  void operatorCanForceNio() throws ConfigException {
    assertThat(parse("  transport: nio\n").transport()).isEqualTo(TransportPreference.NIO);
    assertThat(parse("  transport: auto\n").transport()).isEqualTo(TransportPreference.AUTO);
  }

  @Test
  void refusesUnknownTransportNamingTheFieldAndTheChoices() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> parse("  transport: io_uring\n"));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("node.transport").contains("auto, nio");
  }

  @Test
  void probesWithConnectsByDefault() throws ConfigException {
    assertThat(parse("").tcpProbes()).isEqualTo(TcpProbeMethod.CONNECT);
  }

  @Test
  void operatorCanChooseHalfOpenProbes() throws ConfigException {
    assertThat(parse("  tcpProbes: half-open\n").tcpProbes()).isEqualTo(TcpProbeMethod.HALF_OPEN);
    assertThat(parse("  tcpProbes: connect\n").tcpProbes()).isEqualTo(TcpProbeMethod.CONNECT);
  }

  @Test
  void refusesAnUnknownProbeMethodNamingTheFieldAndTheChoices() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> parse("  tcpProbes: syn\n"));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("node.tcpProbes").contains("connect, half-open");
  }
}
