package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.IpAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fixtures in {@code if_inet6/} are {@code /proc/net/if_inet6} as Linux prints it. */
class Ipv6AddressSelectorTest {
  static final IpAddress EUI64 = IpAddress.parse("2a01:4f8:c010:0:211:22ff:fe33:4455");
  static final IpAddress TEMPORARY = IpAddress.parse("2a01:4f8:c010:0:4d2a:9b1c:7e8f:a11");
  static final IpAddress DEPRECATED_TEMPORARY =
      IpAddress.parse("2a01:4f8:c010:0:9a3c:2d4e:5f60:7182");
  static final IpAddress DEPRECATED = IpAddress.parse("2a01:4f8:c010:0:b3c4:d5e6:f708:1920");
  static final IpAddress ULA = IpAddress.parse("fd12:3456:789a:0:211:22ff:fe33:4455");
  static final IpAddress LINK_LOCAL = IpAddress.parse("fe80::211:22ff:fe33:4455");
  static final List<IpAddress> ETH0 =
      List.of(TEMPORARY, DEPRECATED_TEMPORARY, DEPRECATED, ULA, LINK_LOCAL, EUI64);

  static final IpAddress STATIC = IpAddress.parse("2a02:8101::beef");
  static final IpAddress STABLE_PRIVACY = IpAddress.parse("2a02:8101::51b2:c3d4:e5f6:718");
  static final IpAddress PPP_TEMPORARY = IpAddress.parse("2a02:8101::e1d2:c3b4:a596:8778");
  static final IpAddress TENTATIVE = IpAddress.parse("2a02:8101::76a5:b4c3:d2e1:f001");
  static final IpAddress DAD_FAILED_EUI64 = IpAddress.parse("2a02:8101::244:55ff:fe66:7788");

  static Path fixture(String name) {
    try {
      return Path.of(Ipv6AddressSelectorTest.class.getResource("/if_inet6/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Ipv6AddressSelector linux(String fixture) {
    return new Ipv6AddressSelector(Optional.of(fixture(fixture)));
  }

  @Test
  void linuxFlagsLeaveOnlyTheStableGlobalSlaacAddress() {
    List<IpAddress> ranked =
        linux("slaac-privacy.txt").rank("eth0", ETH0, Ipv6AddressSelector::isGlobalUnicast);

    assertThat(ranked).containsExactly(EUI64);
  }

  @Test
  void linuxFlagsOfAnotherInterfaceDoNotApply() {
    assertThat(linux("slaac-privacy.txt").flags("eth0").orElseThrow())
        .containsEntry(TEMPORARY, 0x01)
        .containsEntry(DEPRECATED, 0x20)
        .doesNotContainKey(IpAddress.parse("2a01:4f8:c011:0:211:22ff:fe33:4466"));
  }

  @Test
  void aPermanentAddressRanksBeforeAStablePrivacyOneAndTemporaryTentativeDadFailedAreDropped() {
    List<IpAddress> all =
        List.of(PPP_TEMPORARY, STABLE_PRIVACY, TENTATIVE, DAD_FAILED_EUI64, STATIC);

    assertThat(linux("stable-privacy.txt").rank("ppp0", all, a -> true))
        .containsExactly(STATIC, STABLE_PRIVACY);
  }

  @Test
  void withFlagsAnRfc7217StableAddressWinsOverNothingElseUsable() {
    List<IpAddress> all = List.of(PPP_TEMPORARY, STABLE_PRIVACY, TENTATIVE, DAD_FAILED_EUI64);

    assertThat(linux("stable-privacy.txt").rank("ppp0", all, a -> true))
        .containsExactly(STABLE_PRIVACY);
  }

  @Test
  void withoutFlagsAnEui64AddressRanksFirstThenTheLowestAddress() {
    Ipv6AddressSelector elsewhere = new Ipv6AddressSelector(Optional.empty());

    assertThat(elsewhere.rank("eth0", ETH0, Ipv6AddressSelector::isGlobalUnicast))
        .containsExactly(EUI64, TEMPORARY, DEPRECATED_TEMPORARY, DEPRECATED);
    assertThat(elsewhere.rank("eth0", List.of(DEPRECATED, TEMPORARY), a -> true))
        .containsExactly(TEMPORARY, DEPRECATED);
  }

  @Test
  void anUnreadableFlagsFileMeansNoFlagsNotNoAddresses() {
    Ipv6AddressSelector missing =
        new Ipv6AddressSelector(Optional.of(Path.of("/nonexistent/if_inet6")));

    assertThat(missing.flags("eth0")).isEmpty();
    assertThat(missing.rank("eth0", List.of(TEMPORARY), a -> true)).containsExactly(TEMPORARY);
  }

  @Test
  void globalUnicastExcludesUlaLinkLocalLoopbackAndMulticast() {
    assertThat(Ipv6AddressSelector.isGlobalUnicast(EUI64)).isTrue();
    for (String other : List.of("fd00::2", "fc00::1", "fe80::1", "::1", "ff02::1", "::")) {
      assertThat(Ipv6AddressSelector.isGlobalUnicast(IpAddress.parse(other))).as(other).isFalse();
    }
  }
}
