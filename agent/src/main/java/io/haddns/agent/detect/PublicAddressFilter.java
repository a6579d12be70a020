package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.util.Optional;

/**
 * Decides whether a detected address can be a line's public address. Refused unless {@code
 * allowPrivate}: unspecified, loopback, private (RFC 1918, ULA fc00::/7), CGNAT 100.64/10 (RFC
 * 6598), link-local, documentation (RFC 5737, RFC 3849, RFC 9637), benchmarking 198.18/15,
 * IETF-reserved 192.0.0/24 and 2001::/23, multicast, 240/4 and broadcast; for IPv6 anything outside
 * global unicast 2000::/3 (RFC 4291).
 */
public record PublicAddressFilter(boolean allowPrivate) {

  /** Why {@code address} is refused, or empty if it is acceptable. */
  public Optional<String> rejection(IpAddress address) {
    if (allowPrivate) {
      return Optional.empty();
    }
    byte[] b = address.bytes();
    return address.family() == AddressFamily.IPV4 ? ipv4(b) : ipv6(b);
  }

  public boolean accepts(IpAddress address) {
    return rejection(address).isEmpty();
  }

  private static Optional<String> ipv4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    if (a0 == 0) {
      return Optional.of("unspecified/this-network 0/8");
    }
    if (a0 == 127) {
      return Optional.of("loopback");
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return Optional.of("private (RFC 1918)");
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return Optional.of("CGNAT shared space 100.64/10");
    }
    if (a0 == 169 && a1 == 254) {
      return Optional.of("link-local");
    }
    if ((a0 == 192 && a1 == 0 && a2 == 2)
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)) {
      return Optional.of("documentation (RFC 5737)");
    }
    if (a0 == 192 && a1 == 0 && a2 == 0) {
      return Optional.of("IETF protocol assignments 192.0.0/24");
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return Optional.of("benchmarking 198.18/15");
    }
    if (a0 >= 224) {
      return Optional.of(a0 < 240 ? "multicast" : "reserved/broadcast");
    }
    return Optional.empty();
  }

  private static Optional<String> ipv6(byte[] b) {
    int g0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int g1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if ((g0 & 0xff00) == 0xff00) {
      return Optional.of("multicast");
    }
    if ((g0 & 0xe000) != 0x2000) {
      return Optional.of("not global unicast 2000::/3 (loopback, link-local, ULA, …)");
    }
    if ((g0 == 0x2001 && g1 == 0x0db8) || (g0 == 0x3fff && (g1 & 0xf000) == 0)) {
      return Optional.of("documentation (RFC 3849 / RFC 9637)");
    }
    if (g0 == 0x2001 && g1 < 0x0200) {
      return Optional.of("IETF protocol assignments 2001::/23");
    }
    return Optional.empty();
  }
}
