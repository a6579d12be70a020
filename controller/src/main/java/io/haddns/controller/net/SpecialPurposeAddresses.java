package io.haddns.controller.net;

import static io.haddns.controller.net.AddressScope.PRIVATE;
import static io.haddns.controller.net.AddressScope.PUBLIC;
import static io.haddns.controller.net.AddressScope.UNUSABLE;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, entries as of 2025), plus
 * IPv4 multicast (RFC 5771) and the IPv6 space outside the allocated global unicast {@code
 * 2000::/3} (RFC 4291 §2.4), each block with the {@link AddressScope} haddns gives it. The most
 * specific block containing an address decides, so a registry exception inside a larger block (e.g.
 * {@code 2001:1::1/128}, globally reachable, inside {@code 2001::/23}) wins. An address in no block
 * is an ordinary public unicast address.
 *
 * <p>The scope follows the registry's "Globally Reachable" column: {@code True} is {@link
 * AddressScope#PUBLIC}. Of the rest, the ranges private networks and labs route to hosts are {@link
 * AddressScope#PRIVATE}: private-use, shared (CGNAT), unique-local, documentation, benchmarking and
 * local-use NAT64. Everything else is {@link AddressScope#UNUSABLE}, including Teredo and 6to4,
 * whose column is "N/A": they reach a host only through relays, and such a line also has the IPv4
 * address they embed. docs/configuration.md ("Which addresses a line accepts") lists the table for
 * operators. Immutable and thread-safe.
 */
public final class SpecialPurposeAddresses {
  private static final List<SpecialPurposeBlock> BLOCKS =
      List.of(
              // IPv4 Special-Purpose Address Registry
              block("0.0.0.0/8", "\"this network\"", "RFC 791", UNUSABLE),
              block("10.0.0.0/8", "private-use", "RFC 1918", PRIVATE),
              block("100.64.0.0/10", "shared address space (CGNAT)", "RFC 6598", PRIVATE),
              block("127.0.0.0/8", "loopback", "RFC 1122", UNUSABLE),
              block("169.254.0.0/16", "link-local", "RFC 3927", UNUSABLE),
              block("172.16.0.0/12", "private-use", "RFC 1918", PRIVATE),
              block("192.0.0.0/24", "IETF protocol assignments", "RFC 6890", UNUSABLE),
              block("192.0.0.9/32", "PCP anycast", "RFC 7723", PUBLIC),
              block("192.0.0.10/32", "TURN anycast", "RFC 8155", PUBLIC),
              block("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737", PRIVATE),
              block("192.31.196.0/24", "AS112-v4", "RFC 7535", PUBLIC),
              block("192.52.193.0/24", "AMT", "RFC 7450", PUBLIC),
              block("192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526", UNUSABLE),
              block("192.168.0.0/16", "private-use", "RFC 1918", PRIVATE),
              block("192.175.48.0/24", "AS112 direct delegation", "RFC 7534", PUBLIC),
              block("198.18.0.0/15", "benchmarking", "RFC 2544", PRIVATE),
              block("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737", PRIVATE),
              block("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737", PRIVATE),
              block("224.0.0.0/4", "multicast", "RFC 5771", UNUSABLE),
              block("240.0.0.0/4", "reserved", "RFC 1112", UNUSABLE),
              block("255.255.255.255/32", "limited broadcast", "RFC 919", UNUSABLE),
              // IPv6 outside global unicast: reserved or unallocated, unless listed below
              block("::/3", "outside global unicast 2000::/3", "RFC 4291", UNUSABLE),
              block("4000::/2", "outside global unicast 2000::/3", "RFC 4291", UNUSABLE),
              block("8000::/1", "outside global unicast 2000::/3", "RFC 4291", UNUSABLE),
              // IPv6 Special-Purpose Address Registry
              block("::/128", "unspecified", "RFC 4291", UNUSABLE),
              block("::1/128", "loopback", "RFC 4291", UNUSABLE),
              block("::ffff:0:0/96", "IPv4-mapped", "RFC 4291", UNUSABLE),
              block("64:ff9b::/96", "IPv4-IPv6 translation", "RFC 6052", PUBLIC),
              block("64:ff9b:1::/48", "local-use IPv4-IPv6 translation", "RFC 8215", PRIVATE),
              block("100::/64", "discard-only", "RFC 6666", UNUSABLE),
              block("2001::/23", "IETF protocol assignments", "RFC 2928", UNUSABLE),
              block("2001::/32", "Teredo", "RFC 4380", UNUSABLE),
              block("2001:1::1/128", "PCP anycast", "RFC 7723", PUBLIC),
              block("2001:1::2/128", "TURN anycast", "RFC 8155", PUBLIC),
              block("2001:1::3/128", "DNS-SD SRP anycast", "RFC 9665", PUBLIC),
              block("2001:2::/48", "benchmarking", "RFC 5180", PRIVATE),
              block("2001:3::/32", "AMT", "RFC 7450", PUBLIC),
              block("2001:4:112::/48", "AS112-v6", "RFC 7535", PUBLIC),
              block("2001:10::/28", "deprecated ORCHID", "RFC 4843", UNUSABLE),
              block("2001:20::/28", "ORCHIDv2", "RFC 7343", PUBLIC),
              block("2001:30::/28", "drone remote ID DETs", "RFC 9374", PUBLIC),
              block("2001:db8::/32", "documentation", "RFC 3849", PRIVATE),
              block("2002::/16", "6to4", "RFC 3056", UNUSABLE),
              block("2620:4f:8000::/48", "AS112 direct delegation", "RFC 7534", PUBLIC),
              block("3fff::/20", "documentation", "RFC 9637", PRIVATE),
              block("5f00::/16", "segment routing (SRv6) SIDs", "RFC 9602", UNUSABLE),
              block("fc00::/7", "unique-local", "RFC 4193", PRIVATE),
              block("fe80::/10", "link-local", "RFC 4291", UNUSABLE),
              block("ff00::/8", "multicast", "RFC 4291", UNUSABLE))
          .stream()
          // Most specific first, so the first block containing an address is the one that decides.
          .sorted(Comparator.comparingInt((SpecialPurposeBlock b) -> -b.prefix().length()))
          .toList();

  private SpecialPurposeAddresses() {}

  /** The most specific block containing {@code address}; empty for ordinary public addresses. */
  public static Optional<SpecialPurposeBlock> of(InetAddress address) {
    for (SpecialPurposeBlock b : BLOCKS) {
      if (b.prefix().contains(address)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** Every block, most specific first. */
  public static List<SpecialPurposeBlock> blocks() {
    return BLOCKS;
  }

  /** What the policy makes of {@code address}. */
  public static AddressScope scope(InetAddress address) {
    return of(address).map(SpecialPurposeBlock::scope).orElse(PUBLIC);
  }

  private static SpecialPurposeBlock block(
      String cidr, String name, String reference, AddressScope scope) {
    return new SpecialPurposeBlock(IpPrefix.parse(cidr), name, reference, scope);
  }
}
