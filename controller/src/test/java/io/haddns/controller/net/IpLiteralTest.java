package io.haddns.controller.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpLiteralTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:db8::, 2001:db8::",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "::ffff:0:0:1, ::ffff:0:0:1",
    "64:ff9b::198.51.100.7, 64:ff9b::c633:6407",
    "198.51.100.7, 198.51.100.7",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255"
  })
  void writesRfc5952Literals(String written, String canonical) {
    assertThat(IpLiteral.canonical(IpLiteral.parse(written).orElseThrow())).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({
    "198.51.100.07",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "0x7f.0.0.1",
    "example.com",
    "localhost",
    "fe80::1%eth0",
    "::ffff:1.2.3.4",
    "2001:db8::1::2",
    "2001:db8:0:0:0:0:0:0:1",
    "' 192.0.2.1'",
    "''"
  })
  void refusesWhatIsNotAStrictLiteral(String written) {
    assertThat(IpLiteral.parse(written)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"192.0.2.1, 4", "2001:db8::1, 16", "::, 16"})
  void keepsTheWrittenFamily(String written, int bytes) {
    InetAddress a = IpLiteral.parse(written).orElseThrow();
    assertThat(a.getAddress()).hasSize(bytes);
    assertThat(a).isInstanceOf(bytes == 4 ? Inet4Address.class : Inet6Address.class);
  }
}
