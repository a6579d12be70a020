package io.haddns.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.GatewayListen;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.config.TcpProbeMethod;
import io.haddns.controller.netty.TransportPreference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AdminAdvertiseTest {
  private static final List<InetAddress> POD = List.of(ip("10.244.1.7"), ip("fd00::7"));

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static NodeConfig node(String httpHost, Optional<InetAddress> advertise) {
    return new NodeConfig(
        "n1",
        httpHost,
        8053,
        NodeConfig.DEFAULT_DNS_HOST,
        NodeConfig.DEFAULT_DNS_PORT,
        GatewayListen.defaults(),
        List.of(),
        NodeConfig.DEFAULT_HTTP_LIMITS,
        NodeConfig.DEFAULT_DNS_TCP_LIMITS,
        OptionalInt.empty(),
        advertise,
        TransportPreference.AUTO,
        TcpProbeMethod.CONNECT);
  }

  private static String of(NodeConfig node, String bound, List<InetAddress> own) {
    return AdminAdvertise.of(node, new InetSocketAddress(ip(bound), 8053), () -> own);
  }

  @Test
  void aWildcardBindAdvertisesThisHostsFirstAddressNotTheWildcard() {
    assertThat(of(node("0.0.0.0", Optional.empty()), "0.0.0.0", POD)).isEqualTo("10.244.1.7:8053");
    assertThat(of(node("::", Optional.empty()), "::", List.of(ip("fd00::7"))))
        .isEqualTo("[fd00::7]:8053");
  }

  @Test
  void theConfiguredAddressWinsOverTheBindAndTheInterfaces() {
    Optional<InetAddress> set = Optional.of(ip("192.0.2.9"));

    assertThat(of(node("0.0.0.0", set), "0.0.0.0", POD)).isEqualTo("192.0.2.9:8053");
    assertThat(of(node("127.0.0.21", set), "127.0.0.21", POD)).isEqualTo("192.0.2.9:8053");
  }

  @Test
  void aSpecificBindIsAdvertisedAsBound() {
    assertThat(of(node("127.0.0.21", Optional.empty()), "127.0.0.21", POD))
        .isEqualTo("127.0.0.21:8053");
  }

  @Test
  void aHostWithoutAnyUsableAddressKeepsTheWildcardWhichIsNeverProbed() {
    assertThat(of(node("0.0.0.0", Optional.empty()), "0.0.0.0", List.of()))
        .isEqualTo("0.0.0.0:8053");
  }
}
