package io.haddns.controller.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Address;

/**
 * IPv4 and IPv6 address literals, parsed strictly and without any name lookup, and their canonical
 * text: IPv4 as a dotted quad without leading zeros, IPv6 per RFC 5952 §4 (lower case, the longest
 * run of two or more zero groups compressed, the first one on a tie, no zone id).
 *
 * <p>Accepted: four decimal octets without leading zeros, and any RFC 4291 §2.2 IPv6 text form
 * (including an embedded dotted quad). Refused: host names, short or octal IPv4 forms, zone ids,
 * and IPv4-mapped IPv6 literals ({@code ::ffff:192.0.2.1}), which would silently turn into IPv4.
 * Stateless and thread-safe.
 */
public final class IpLiteral {
  /** The longest IPv6 text form: eight groups with an embedded dotted quad. */
  private static final int MAX_LENGTH = 45;

  private IpLiteral() {}

  /** The address {@code text} spells exactly; empty when it is no literal (e.g. a host name). */
  public static Optional<InetAddress> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    int family = text.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4;
    if (family == Address.IPv4 && !Address.isDottedQuad(text)) {
      return Optional.empty();
    }
    // dnsjava parses literals only (no resolver), and rejects leading zeros and short forms.
    byte[] bytes = Address.toByteArray(text, family);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      InetAddress a = InetAddress.getByAddress(bytes);
      if (family == Address.IPv6 && a instanceof Inet4Address) {
        return Optional.empty();
      }
      return Optional.of(a);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The canonical literal of {@code address} (RFC 5952 §4 for IPv6). */
  public static String canonical(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
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
