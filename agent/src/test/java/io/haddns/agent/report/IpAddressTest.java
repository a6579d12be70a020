package io.haddns.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  @ParameterizedTest
  @CsvSource({
    "198.51.100.7, 198.51.100.7",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "2001:db8::1, 2001:db8::1",
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:db8:0:0:1::1, 2001:db8::1:0:0:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "::, ::",
    "::1, ::1",
    "1::, 1::",
    "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "64:ff9b::198.51.100.7, 64:ff9b::c633:6407",
    "2001:0db8:00ab:0000:0000:0000:0000:0cde, 2001:db8:ab::cde",
  })
  void printsRfc5952CanonicalText(String input, String canonical) {
    assertThat(IpAddress.parse(input).canonical()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "256.1.1.1",
        "1.2.3.4 ",
        "+1.2.3.4",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        ":::1",
        "1:2:3:4:5:6:7:8::",
        "12345::1",
        "fe80::1%eth0",
        "[2001:db8::1]",
        "::ffff:198.51.100.7",
        "::ffff:c633:6407",
        "g::1",
        "1.2.3.4::",
        "2001:db8::1.2.3",
      })
  void rejectsAnythingButAStrictLiteral(String input) {
    assertThatThrownBy(() -> IpAddress.parse(input)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2001:db8::1", "::1", "2001:db8:1:2:3:4:5:6", "198.51.100.7"})
  void agreesWithJavaOnTheBytes(String input) throws Exception {
    assertThat(IpAddress.parse(input).bytes()).isEqualTo(InetAddress.getByName(input).getAddress());
  }

  @ParameterizedTest
  @CsvSource({"198.51.100.7, 198.51.100.200", "2001:db8::9, 2001:db8::10", "203.0.113.1, ::1"})
  void ordersByBytesWithIpv4First(String lower, String higher) {
    assertThat(IpAddress.parse(lower)).isLessThan(IpAddress.parse(higher));
  }
}
