package io.haddns.controller.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Objects;
import org.xbill.DNS.Address;

/**
 * An address block in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}), RFC 4632 §3.1 and RFC
 * 4291 §2.3.
 *
 * @param network the block's first address; every bit past {@code length} is zero
 * @param length the prefix length: 0–32 for IPv4, 0–128 for IPv6
 */
public record IpPrefix(InetAddress network, int length) {
  public IpPrefix {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException("prefix length " + length + " outside 0-" + bits);
    }
    byte[] b = network.getAddress();
    for (int i = length; i < bits; i++) {
      if (bit(b, i)) {
        throw new IllegalArgumentException(
            IpLiteral.canonical(network) + "/" + length + " has host bits set");
      }
    }
  }

  /** Parses {@code address/length}; throws {@link IllegalArgumentException} when malformed. */
  public static IpPrefix parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a prefix (address/length): " + cidr);
    }
    String text = cidr.substring(0, slash);
    // Not IpLiteral.parse: ::ffff:0:0/96 must stay an IPv6 block.
    byte[] bytes = Address.toByteArray(text, text.contains(":") ? Address.IPv6 : Address.IPv4);
    if (bytes == null) {
      throw new IllegalArgumentException("not a prefix: " + cidr);
    }
    try {
      InetAddress network =
          bytes.length == 16
              ? Inet6Address.getByAddress(null, bytes, (NetworkInterface) null)
              : InetAddress.getByAddress(bytes);
      return new IpPrefix(network, Integer.parseInt(cidr.substring(slash + 1)));
    } catch (NumberFormatException | UnknownHostException e) {
      throw new IllegalArgumentException("not a prefix: " + cidr, e);
    }
  }

  /** Whether {@code address} is of this block's family and lies inside it. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    int whole = length / 8;
    for (int i = 0; i < whole; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rest = length % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[whole] & mask) == (n[whole] & mask);
  }

  private static boolean bit(byte[] b, int i) {
    return (b[i / 8] & (0x80 >>> (i % 8))) != 0;
  }

  @Override
  public String toString() {
    return IpLiteral.canonical(network) + "/" + length;
  }
}
