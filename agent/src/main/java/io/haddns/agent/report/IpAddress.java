package io.haddns.agent.report;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An IPv4 or IPv6 unicast/multicast address as network-order bytes, parsed strictly from a literal
 * (never via DNS) and printed in canonical form: IPv4 dotted quad without leading zeros, IPv6 per
 * RFC 5952 (lower case, no leading zeros, the longest run of two or more zero groups — the first
 * one on a tie — compressed to {@code ::}, no zone id).
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:0:0/96}) are rejected: they name an IPv4 address,
 * and Java would silently turn them into {@link Inet4Address}. Ordering compares the bytes
 * (unsigned), IPv4 before IPv6.
 */
public final class IpAddress implements Comparable<IpAddress> {
  private final byte[] bytes;

  private IpAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Parses an IP literal strictly: IPv4 as four decimal octets without leading zeros; IPv6 per RFC
   * 4291 §2.2 (optionally with a trailing dotted quad), no zone id, no brackets.
   *
   * @throws IllegalArgumentException if {@code text} is not such a literal
   */
  public static IpAddress parse(String text) {
    byte[] parsed = text.indexOf(':') >= 0 ? IpLiteralParser.parseIpv6(text) : null;
    if (parsed == null && text.indexOf(':') < 0) {
      parsed = IpLiteralParser.parseIpv4(text);
    }
    if (parsed == null) {
      throw new IllegalArgumentException("not an IP literal: " + printable(text));
    }
    return ofBytes(parsed);
  }

  /** The address of a Java {@link InetAddress} (the scope id of an IPv6 address is dropped). */
  public static IpAddress of(InetAddress address) {
    return ofBytes(address.getAddress());
  }

  /**
   * An address from 4 or 16 network-order bytes.
   *
   * @throws IllegalArgumentException for another length or an IPv4-mapped IPv6 address
   */
  public static IpAddress ofBytes(byte[] raw) {
    if (raw.length != 4 && raw.length != 16) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes, got " + raw.length);
    }
    byte[] copy = raw.clone();
    if (copy.length == 16 && isIpv4Mapped(copy)) {
      throw new IllegalArgumentException(
          "IPv4-mapped IPv6 address is not an IPv6 address: report it as ipv4");
    }
    return new IpAddress(copy);
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  public AddressFamily family() {
    return bytes.length == 4 ? AddressFamily.IPV4 : AddressFamily.IPV6;
  }

  /** A copy of the network-order bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Byte {@code i} as an unsigned value. */
  int octet(int i) {
    return bytes[i] & 0xff;
  }

  public InetAddress toInetAddress() {
    try {
      return bytes.length == 4
          ? Inet4Address.getByAddress(bytes)
          : Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("length was checked at construction", e);
    }
  }

  /** The canonical literal (see the class comment). */
  public String canonical() {
    return bytes.length == 4 ? ipv4Text() : ipv6Text();
  }

  private String ipv4Text() {
    return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
  }

  // RFC 5952 §4: no leading zeros, "::" for the longest run (≥ 2) of zero groups, the first run
  // on a tie, lower-case hex.
  private String ipv6Text() {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (octet(2 * i) << 8) | octet(2 * i + 1);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  @Override
  public int compareTo(IpAddress other) {
    if (bytes.length != other.bytes.length) {
      return Integer.compare(bytes.length, other.bytes.length);
    }
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return canonical();
  }

  static String printable(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    StringBuilder out = new StringBuilder();
    for (char c : cut.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        out.append("\\x").append(HexFormat.of().toHexDigits((byte) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
