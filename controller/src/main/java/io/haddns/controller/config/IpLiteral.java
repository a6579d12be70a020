package io.haddns.controller.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Address;

/** IPv4 and IPv6 address literals, parsed without any name lookup. */
final class IpLiteral {
  private IpLiteral() {}

  /** The address {@code text} spells, or empty when it is not an IP literal (e.g. a host name). */
  static Optional<InetAddress> parse(String text) {
    String t = text.trim();
    if (t.isEmpty() || !(t.contains(":") || Address.isDottedQuad(t))) {
      return Optional.empty();
    }
    try {
      // dnsjava parses literals only (no resolver), and rejects leading zeros and short forms.
      return Optional.of(Address.getByAddress(t));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
