package io.haddns.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DnsAdvertiseTest {
  @Test
  void anInterfacesIpv6AddressIsAdvertisedWithoutItsScope() throws Exception {
    InetAddress plain = InetAddress.getByName("fd00::2");
    InetAddress scoped = Inet6Address.getByAddress(null, plain.getAddress(), 2);
    assertThat(scoped.getHostAddress()).endsWith("%2");

    InetAddress advertised = DnsAdvertise.withoutScope(scoped);

    assertThat(advertised.getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:2");
    assertThat(advertised).isEqualTo(plain);
  }

  @Test
  void anAddressWithoutScopeIsKeptAsItIs() throws Exception {
    InetAddress v4 = InetAddress.getByName("10.244.1.7");
    InetAddress v6 = InetAddress.getByName("2001:db8::7");

    assertThat(DnsAdvertise.withoutScope(v4)).isSameAs(v4);
    assertThat(DnsAdvertise.withoutScope(v6)).isSameAs(v6);
  }

  @Test
  void thisHostsInterfaceAddressesCarryNoScope() {
    assertThat(DnsAdvertise.interfaceAddresses())
        .allSatisfy(a -> assertThat(a.getHostAddress()).doesNotContain("%"));
  }
}
