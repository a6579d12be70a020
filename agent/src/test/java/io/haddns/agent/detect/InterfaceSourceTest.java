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

  private static final Ipv6AddressSelector NO_FLAGS = new Ipv6AddressSelector(Optional.empty());

  private static InterfaceSource source(
      String name, Ipv6AddressSelector selector, boolean allowNonGlobal, String... addresses) {
    List<InetAddress> all = java.util.Arrays.stream(addresses).map(a -> ip(a)).toList();
    return new InterfaceSource(
        name, n -> Optional.of(new InterfaceSource.Snapshot(true, all)), selector, allowNonGlobal);
  }

  @Test
  void bindsTheStableGlobalAddressNeverATemporaryDeprecatedUlaOrLinkLocalOne() throws Exception {
    InterfaceSource s =
        source(
            "eth0",
            Ipv6AddressSelectorTest.linux("slaac-privacy.txt"),
            false,
            "fe80::211:22ff:fe33:4455",
            "2a01:4f8:c010:0:4d2a:9b1c:7e8f:a11",
            "fd12:3456:789a:0:211:22ff:fe33:4455",
            "2a01:4f8:c010:0:9a3c:2d4e:5f60:7182",
            "2a01:4f8:c010:0:b3c4:d5e6:f708:1920",
            "2a01:4f8:c010:0:211:22ff:fe33:4455");

    assertThat(s.localAddress(AddressFamily.IPV6))
        .contains(ip("2a01:4f8:c010:0:211:22ff:fe33:4455"));
  }

  @Test
  void anInterfaceWithOnlyAUlaIsRefusedUnlessNonGlobalIsAllowed() throws Exception {
    Ipv6AddressSelector flags = Ipv6AddressSelectorTest.linux("ula-only.txt");

    assertThatThrownBy(
            () ->
                source("eth0", flags, false, "fd00::2", "fe80::1").localAddress(AddressFamily.IPV6))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("eth0 has no usable ipv6 address");
    assertThat(source("eth0", flags, true, "fe80::1", "fd00::2").localAddress(AddressFamily.IPV6))
        .contains(ip("fd00::2"));
  }

  @Test
  void anInterfaceWithOnlyTemporaryAddressesIsRefused() {
    InterfaceSource s =
        source(
            "eth0",
            Ipv6AddressSelectorTest.linux("slaac-privacy.txt"),
            false,
            "2a01:4f8:c010:0:4d2a:9b1c:7e8f:a11");

    assertThatThrownBy(() -> s.localAddress(AddressFamily.IPV6))
        .hasMessageContaining("only temporary, deprecated, ULA or link-local");
  }

  @Test
  void withoutKernelFlagsAnEui64AddressIsPreferred() throws Exception {
    InterfaceSource s =
        source("eth0", NO_FLAGS, false, "2a01:4f8::1:2:3:4", "2a01:4f8::211:22ff:fe33:4455");

    assertThat(s.localAddress(AddressFamily.IPV6)).contains(ip("2a01:4f8::211:22ff:fe33:4455"));
  }

  @Test
  void picksTheInterfacesAddressOfTheWantedFamily() throws Exception {
    InterfaceSource s = source("eth1", NO_FLAGS, false, "fe80::1", "192.0.2.7", "2001:db8::7");

    assertThat(s.localAddress(AddressFamily.IPV4)).contains(ip("192.0.2.7"));
    assertThat(s.localAddress(AddressFamily.IPV6)).contains(ip("2001:db8::7"));
  }

  @Test
  void anAbsentInterfaceIsAClearFailure() {
    InterfaceSource s = new InterfaceSource("eth9", n -> Optional.empty(), NO_FLAGS, false);

    assertThatThrownBy(() -> s.localAddress(AddressFamily.IPV4))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no interface eth9");
  }

  @Test
  void aDownInterfaceIsAClearFailure() throws Exception {
    InterfaceSource s =
        new InterfaceSource(
            "ppp0",
            n -> Optional.of(new InterfaceSource.Snapshot(false, List.of(ip("192.0.2.7")))),
            NO_FLAGS,
            false);

    assertThatThrownBy(() -> s.localAddress(AddressFamily.IPV4))
        .hasMessageContaining("ppp0 is down");
  }

  @Test
  void anInterfaceWithoutTheFamilyFailsRatherThanLeavingUnbound() throws Exception {
    InterfaceSource s = source("eth1", NO_FLAGS, false, "192.0.2.7");

    assertThatThrownBy(() -> s.localAddress(AddressFamily.IPV6))
        .hasMessageContaining("eth1 has no usable ipv6 address");
  }
}
