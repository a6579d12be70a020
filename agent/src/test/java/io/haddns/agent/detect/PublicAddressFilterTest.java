package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.IpAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicAddressFilterTest {
  private final PublicAddressFilter strict = new PublicAddressFilter(false);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "10.1.2.3",
        "100.64.0.1",
        "100.127.255.254",
        "127.0.0.1",
        "169.254.1.1",
        "172.16.0.1",
        "172.31.255.1",
        "192.0.0.8",
        "192.0.2.1",
        "192.168.1.1",
        "198.18.0.1",
        "198.19.255.1",
        "198.51.100.7",
        "203.0.113.9",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "2001:db8::1",
        "3fff::1",
        "2001::1",
        "64:ff9b::1"
      })
  void refusesNonPublicAddresses(String address) {
    assertThat(strict.accepts(IpAddress.parse(address))).isFalse();
    assertThat(new PublicAddressFilter(true).accepts(IpAddress.parse(address))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.1.1.1",
        "8.8.4.4",
        "100.63.255.255",
        "100.128.0.1",
        "172.32.0.1",
        "223.255.255.1",
        "2a00:1450:4001::1",
        "2400:cb00::1",
        "2001:200::1",
        "3ffe::1",
        "2002:c000:201::1"
      })
  void acceptsPublicAddresses(String address) {
    assertThat(strict.accepts(IpAddress.parse(address))).isTrue();
  }
}
