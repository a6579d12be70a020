package io.haddns.controller.net;

import static io.haddns.controller.net.AddressScope.PRIVATE;
import static io.haddns.controller.net.AddressScope.PUBLIC;
import static io.haddns.controller.net.AddressScope.UNUSABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Address;

/**
 * Every block of the IANA Special-Purpose Address Registries (and multicast, and IPv6 outside
 * 2000::/3): its first and last address and one inside, under both policies, and the public
 * addresses just outside it where its neighbours are not special themselves. The expectations are
 * written out here, independently of {@link SpecialPurposeAddresses}.
 */
class AddressPolicyTest {
  private static final String ALL_F = "ffff:ffff:ffff:ffff:ffff:ffff:ffff";

  /** One block: addresses inside it (first, last, one more) and public ones just outside. */
  record Block(String prefix, AddressScope scope, List<String> inside, List<String> outside) {
    @Override
    public String toString() {
      return prefix + " " + scope;
    }
  }

  private static Block block(String prefix, AddressScope scope, String... inside) {
    return new Block(prefix, scope, List.of(inside), List.of());
  }

  private static Block block(
      String prefix, AddressScope scope, List<String> inside, String... outside) {
    return new Block(prefix, scope, inside, List.of(outside));
  }

  static Stream<Block> blocks() {
    return Stream.of(
        // IPv4
        block("0.0.0.0/8", UNUSABLE, List.of("0.0.0.0", "0.255.255.255", "0.1.2.3"), "1.0.0.0"),
        block(
            "10.0.0.0/8",
            PRIVATE,
            List.of("10.0.0.0", "10.255.255.255", "10.1.2.3"),
            "9.255.255.255",
            "11.0.0.0"),
        block(
            "100.64.0.0/10",
            PRIVATE,
            List.of("100.64.0.0", "100.127.255.255", "100.100.1.1"),
            "100.63.255.255",
            "100.128.0.0"),
        block(
            "127.0.0.0/8",
            UNUSABLE,
            List.of("127.0.0.0", "127.255.255.255", "127.0.0.1"),
            "126.255.255.255",
            "128.0.0.0"),
        block(
            "169.254.0.0/16",
            UNUSABLE,
            List.of("169.254.0.0", "169.254.255.255", "169.254.1.1"),
            "169.253.255.255",
            "169.255.0.0"),
        block(
            "172.16.0.0/12",
            PRIVATE,
            List.of("172.16.0.0", "172.31.255.255", "172.20.1.1"),
            "172.15.255.255",
            "172.32.0.0"),
        block(
            "192.0.0.0/24",
            UNUSABLE,
            List.of("192.0.0.0", "192.0.0.255", "192.0.0.8", "192.0.0.11", "192.0.0.170"),
            "191.255.255.255",
            "192.0.1.0"),
        block("192.0.0.9/32", PUBLIC, "192.0.0.9"),
        block("192.0.0.10/32", PUBLIC, "192.0.0.10"),
        block(
            "192.0.2.0/24",
            PRIVATE,
            List.of("192.0.2.0", "192.0.2.255", "192.0.2.1"),
            "192.0.1.255",
            "192.0.3.0"),
        block("192.31.196.0/24", PUBLIC, "192.31.196.0", "192.31.196.255", "192.31.196.1"),
        block("192.52.193.0/24", PUBLIC, "192.52.193.0", "192.52.193.255", "192.52.193.1"),
        block(
            "192.88.99.0/24",
            UNUSABLE,
            List.of("192.88.99.0", "192.88.99.255", "192.88.99.1", "192.88.99.2"),
            "192.88.98.255",
            "192.88.100.0"),
        block(
            "192.168.0.0/16",
            PRIVATE,
            List.of("192.168.0.0", "192.168.255.255", "192.168.1.1"),
            "192.167.255.255",
            "192.169.0.0"),
        block("192.175.48.0/24", PUBLIC, "192.175.48.0", "192.175.48.255", "192.175.48.1"),
        block(
            "198.18.0.0/15",
            PRIVATE,
            List.of("198.18.0.0", "198.19.255.255", "198.18.1.1"),
            "198.17.255.255",
            "198.20.0.0"),
        block(
            "198.51.100.0/24",
            PRIVATE,
            List.of("198.51.100.0", "198.51.100.255", "198.51.100.7"),
            "198.51.99.255",
            "198.51.101.0"),
        block(
            "203.0.113.0/24",
            PRIVATE,
            List.of("203.0.113.0", "203.0.113.255", "203.0.113.9"),
            "203.0.112.255",
            "203.0.114.0"),
        block(
            "224.0.0.0/4",
            UNUSABLE,
            List.of("224.0.0.0", "239.255.255.255", "224.0.0.1"),
            "223.255.255.255"),
        block("240.0.0.0/4", UNUSABLE, "240.0.0.0", "255.255.255.254", "240.0.0.1"),
        block("255.255.255.255/32", UNUSABLE, "255.255.255.255"),
        // IPv6 outside global unicast 2000::/3
        block("::/3", UNUSABLE, List.of("::2", "1fff:" + ALL_F, "1::1", "200::1"), "2000::"),
        block("4000::/2", UNUSABLE, List.of("4000::", "7fff:" + ALL_F, "4000::1"), "3fff:" + ALL_F),
        block("8000::/1", UNUSABLE, "8000::", "fbff:" + ALL_F, "fec0::1"),
        // IPv6 Special-Purpose Address Registry
        block("::/128", UNUSABLE, "::"),
        block("::1/128", UNUSABLE, "::1"),
        block(
            "::ffff:0:0/96",
            UNUSABLE,
            "::ffff:0.0.0.0",
            "::ffff:255.255.255.255",
            "::ffff:1.2.3.4"),
        block("64:ff9b::/96", PUBLIC, "64:ff9b::", "64:ff9b::ffff:ffff", "64:ff9b::c633:6407"),
        block(
            "64:ff9b:1::/48",
            PRIVATE,
            "64:ff9b:1::",
            "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
            "64:ff9b:1::a"),
        block("100::/64", UNUSABLE, "100::", "100::ffff:ffff:ffff:ffff", "100::1"),
        block(
            "2001::/23",
            UNUSABLE,
            List.of("2001:1ff:" + ALL_F.substring(5), "2001:1::", "2001:1::4", "2001:100::1"),
            "2000:" + ALL_F,
            "2001:200::"),
        block("2001::/32", UNUSABLE, "2001::", "2001:0:" + ALL_F.substring(5), "2001:0:4136::1"),
        block("2001:1::1/128", PUBLIC, "2001:1::1"),
        block("2001:1::2/128", PUBLIC, "2001:1::2"),
        block("2001:1::3/128", PUBLIC, "2001:1::3"),
        block("2001:2::/48", PRIVATE, "2001:2::", "2001:2:0:ffff:ffff:ffff:ffff:ffff", "2001:2::1"),
        block("2001:3::/32", PUBLIC, "2001:3::", "2001:3:" + ALL_F.substring(5), "2001:3::1"),
        block(
            "2001:4:112::/48",
            PUBLIC,
            "2001:4:112::",
            "2001:4:112:ffff:ffff:ffff:ffff:ffff",
            "2001:4:112::1"),
        block("2001:10::/28", UNUSABLE, "2001:10::", "2001:1f:" + ALL_F.substring(5), "2001:10::1"),
        block("2001:20::/28", PUBLIC, "2001:20::", "2001:2f:" + ALL_F.substring(5), "2001:20::1"),
        block("2001:30::/28", PUBLIC, "2001:30::", "2001:3f:" + ALL_F.substring(5), "2001:30::1"),
        block(
            "2001:db8::/32",
            PRIVATE,
            List.of("2001:db8::", "2001:db8:" + ALL_F.substring(5), "2001:db8::1"),
            "2001:db7:" + ALL_F.substring(5),
            "2001:db9::"),
        block(
            "2002::/16",
            UNUSABLE,
            List.of("2002::", "2002:" + ALL_F, "2002:c000:201::1"),
            "2001:" + ALL_F,
            "2003::"),
        block(
            "2620:4f:8000::/48",
            PUBLIC,
            "2620:4f:8000::",
            "2620:4f:8000:ffff:ffff:ffff:ffff:ffff",
            "2620:4f:8000::1"),
        block(
            "3fff::/20",
            PRIVATE,
            List.of("3fff::", "3fff:fff:" + ALL_F.substring(5), "3fff::1"),
            "3ffe:" + ALL_F,
            "3fff:1000::"),
        block("5f00::/16", UNUSABLE, "5f00::", "5f00:" + ALL_F, "5f00::1"),
        block("fc00::/7", PRIVATE, "fc00::", "fdff:" + ALL_F, "fd12:3456::1"),
        block("fe80::/10", UNUSABLE, "fe80::", "febf:" + ALL_F, "fe80::1"),
        block("ff00::/8", UNUSABLE, "ff00::", "ffff:" + ALL_F, "ff02::1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void decidesEveryAddressOfABlockByItsScope(Block block) {
    for (String text : block.inside()) {
      InetAddress a = address(text);
      assertThat(AddressPolicy.PUBLIC_ONLY.admits(a))
          .as("%s without allowPrivate", text)
          .isEqualTo(block.scope() == PUBLIC);
      assertThat(AddressPolicy.ALLOW_PRIVATE.admits(a))
          .as("%s with allowPrivate", text)
          .isEqualTo(block.scope() != UNUSABLE);
    }
    for (String text : block.outside()) {
      InetAddress a = address(text);
      assertThat(AddressPolicy.PUBLIC_ONLY.admits(a)).as("%s just outside", text).isTrue();
      assertThat(AddressPolicy.ALLOW_PRIVATE.admits(a)).as("%s just outside", text).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void namesTheMostSpecificBlockOfTheAddressInside(Block block) {
    InetAddress inside = address(block.inside().getLast());
    assertThat(SpecialPurposeAddresses.of(inside).orElseThrow().prefix())
        .hasToString(block.prefix());
    assertThat(SpecialPurposeAddresses.scope(inside)).isEqualTo(block.scope());
  }

  @Test
  void testsEveryBlockOfTheTable() {
    assertThat(SpecialPurposeAddresses.blocks())
        .extracting(b -> b.prefix().toString())
        .containsExactlyInAnyOrderElementsOf(blocks().map(Block::prefix).toList());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.1.1.1",
        "8.8.4.4",
        "223.255.255.255",
        "2a00:1450:4001::1",
        "2400:cb00::1",
        "2001:200::1",
        "2c0f:ffff::1"
      })
  void admitsOrdinaryPublicAddressesUnderEitherPolicy(String text) {
    assertThat(AddressPolicy.PUBLIC_ONLY.refusal(address(text))).isEmpty();
    assertThat(AddressPolicy.ALLOW_PRIVATE.refusal(address(text))).isEmpty();
    assertThat(SpecialPurposeAddresses.of(address(text))).isEmpty();
  }

  @Test
  void refusalNamesTheAddressItsBlockAndTheWayToAllowIt() {
    assertThat(AddressPolicy.PUBLIC_ONLY.refusal(address("10.1.2.3")))
        .hasValue(
            "10.1.2.3 is private-use (RFC 1918, 10.0.0.0/8), allowed only with allowPrivate: true");
    assertThat(AddressPolicy.ALLOW_PRIVATE.refusal(address("::1")))
        .hasValue("::1 is loopback (RFC 4291, ::1/128), never a line's address");
  }

  @Test
  void widensOnlyWhenAsked() {
    assertThat(AddressPolicy.PUBLIC_ONLY.or(false)).isEqualTo(AddressPolicy.PUBLIC_ONLY);
    assertThat(AddressPolicy.PUBLIC_ONLY.or(true)).isEqualTo(AddressPolicy.ALLOW_PRIVATE);
    assertThat(AddressPolicy.ALLOW_PRIVATE.or(false)).isEqualTo(AddressPolicy.ALLOW_PRIVATE);
    assertThat(AddressPolicy.of(true)).isEqualTo(AddressPolicy.ALLOW_PRIVATE);
  }

  /** Any literal, also an IPv4-mapped IPv6 one kept as IPv6 (as a ZooKeeper node might hold it). */
  private static InetAddress address(String text) {
    try {
      if (text.contains(":")) {
        byte[] b = Address.toByteArray(text, Address.IPv6);
        assertThat(b).as(text).isNotNull();
        return Inet6Address.getByAddress(null, b, (NetworkInterface) null);
      }
      return IpLiteral.parse(text).orElseThrow(() -> new AssertionError("bad literal " + text));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
