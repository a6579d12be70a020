package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.agent.report.AddressFamily;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterfaceSourceTest {

  /** A literal only: InetAddress never does DNS for one. */
  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void picksTheInterfacesAddressOfTheWantedFamily() throws Exception {
    InterfaceSource s =
        new InterfaceSource(
            "eth1",
            n ->
                Optional.of(
                    new InterfaceSource.Snapshot(
                        true, List.of(ip("fe80::1"), ip("192.0.2.7"), ip("2001:db8::7")))));

    assertThat(s.localAddress(AddressFamily.IPV4)).contains(ip("192.0.2.7"));
    assertThat(s.localAddress(AddressFamily.IPV6)).contains(ip("2001:db8::7"));
  }

  @Test
  void anAbsentInterfaceIsAClearFailure() {
    InterfaceSource s = new InterfaceSource("eth9", n -> Optional.empty());

    assertThatThrownBy(() -> s.localAddress(AddressFamily.IPV4))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no interface eth9");
  }

  @Test
  void aDownInterfaceIsAClearFailure() throws Exception {
    InterfaceSource s =
        new InterfaceSource(
            "ppp0",
            n -> Optional.of(new InterfaceSource.Snapshot(false, List.of(ip("192.0.2.7")))));

    assertThatThrownBy(() -> s.localAddress(AddressFamily.IPV4))
        .hasMessageContaining("ppp0 is down");
  }

  @Test
  void anInterfaceWithoutTheFamilyFailsRatherThanLeavingUnbound() throws Exception {
    InterfaceSource s =
        new InterfaceSource(
            "eth1", n -> Optional.of(new InterfaceSource.Snapshot(true, List.of(ip("192.0.2.7")))));

    assertThatThrownBy(() -> s.localAddress(AddressFamily.IPV6))
        .hasMessageContaining("eth1 has no ipv6 address");
  }
}
