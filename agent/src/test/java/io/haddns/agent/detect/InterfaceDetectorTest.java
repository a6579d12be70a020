package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterfaceDetectorTest {
  private static final List<IpAddress> ADDRESSES =
      List.of(
          IpAddress.parse("8.8.4.4"),
          IpAddress.parse("192.168.1.2"),
          IpAddress.parse("fe80::1"),
          IpAddress.parse("2a00:1450::aaaa"),
          IpAddress.parse("2a00:1450::bbbb"),
          IpAddress.parse("2a00:1450::cccc"));

  @TempDir Path dir;

  private InterfaceDetector detector(Optional<Path> ifInet6) {
    return new InterfaceDetector(
        "ppp0",
        name -> ADDRESSES,
        new Ipv6AddressSelector(ifInet6),
        new PublicAddressFilter(false));
  }

  @Test
  void reportsOnlyPublicAddressesOfTheFamily() {
    Detection d = detector(Optional.empty()).detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("8.8.4.4"));
  }

  @Test
  void skipsTemporaryAndDeprecatedIpv6AddressesByTheirLinuxFlags() throws IOException {
    Path file = dir.resolve("if_inet6");
    Files.writeString(
        file,
        """
        2a00145000000000000000000000aaaa 03 40 00 01     ppp0
        2a00145000000000000000000000bbbb 03 40 00 20     ppp0
        2a00145000000000000000000000cccc 03 40 00 00     ppp0
        fe800000000000000000000000000001 03 40 20 80     ppp0
        2a00145000000000000000000000bbbb 04 40 00 00     eth1
        """);

    Detection d = detector(Optional.of(file)).detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses())
        .containsExactly(IpAddress.parse("2a00:1450::cccc"));
  }

  @Test
  void withoutProcTheLowestGlobalIpv6AddressIsReportedAlone() {
    Detection d = detector(Optional.of(dir.resolve("missing"))).detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses())
        .containsExactly(IpAddress.parse("2a00:1450::aaaa"));
  }

  @Test
  void reportsTheOneStableAddressOfARealisticSlaacInterface() {
    InterfaceDetector detector =
        new InterfaceDetector(
            "eth0",
            name -> Ipv6AddressSelectorTest.ETH0,
            Ipv6AddressSelectorTest.linux("slaac-privacy.txt"),
            new PublicAddressFilter(false));

    Detection d = detector.detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses()).containsExactly(Ipv6AddressSelectorTest.EUI64);
  }

  @Test
  void aUlaIsNeverReportedAsPublicUnlessAllowed() {
    List<IpAddress> ula = List.of(IpAddress.parse("fd00::2"), IpAddress.parse("fe80::1"));
    Ipv6AddressSelector flags = Ipv6AddressSelectorTest.linux("ula-only.txt");

    assertThat(
            new InterfaceDetector("eth0", n -> ula, flags, new PublicAddressFilter(false))
                .detect(AddressFamily.IPV6))
        .isInstanceOf(Detection.Failed.class);
    assertThat(
            ((Detection.Found)
                    new InterfaceDetector("eth0", n -> ula, flags, new PublicAddressFilter(true))
                        .detect(AddressFamily.IPV6))
                .addresses())
        .containsExactly(IpAddress.parse("fd00::2"));
  }

  @Test
  void aMissingInterfaceIsAFailureNotAnEmptyAnswer() {
    InterfaceDetector detector =
        new InterfaceDetector(
            "wan9",
            name -> {
              throw new IOException("no interface wan9");
            },
            new Ipv6AddressSelector(Optional.empty()),
            new PublicAddressFilter(false));

    assertThat(detector.detect(AddressFamily.IPV4)).isInstanceOf(Detection.Failed.class);
  }
}
