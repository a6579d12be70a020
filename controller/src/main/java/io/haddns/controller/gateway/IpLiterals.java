package io.haddns.controller.gateway;

import io.haddns.controller.store.AddressFamily;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Address;

/**
 * Strict IP literals as reporters send them, and their canonical text: IPv4 dotted quad without
 * leading zeros, IPv6 per RFC 5952 (lower case, the longest run of two or more zero groups
 * compressed, the first one on a tie, no zone id).
 */
final class IpLiterals {
  private IpLiterals() {}

  /** The address {@code text} spells, parsed without any name lookup; empty if not a literal. */
  static Optional<InetAddress> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return Optional.empty();
    }
    int family = text.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4;
    if (family == Address.IPv4 && !Address.isDottedQuad(text)) {
      return Optional.empty();
    }
    byte[] bytes = Address.toByteArray(text, family);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      InetAddress a = InetAddress.getByAddress(bytes);
      // An IPv4-mapped IPv6 literal would silently turn into IPv4: refuse it.
      if (family == Address.IPv6 && a instanceof Inet4Address) {
        return Optional.empty();
      }
      return Optional.of(a);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code a} can be a line's public address (not unspecified, loopback, …). */
  static boolean isUsable(InetAddress a) {
    return !(a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isMulticastAddress()
        || a.isLinkLocalAddress());
  }

  static AddressFamily family(InetAddress a) {
    return AddressFamily.of(a);
  }

  /** The canonical literal (RFC 5952 §4 for IPv6). */
  static String canonical(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return a.getHostAddress();
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder s = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLength - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(groups[i]));
    }
    return s.toString();
  }
}
