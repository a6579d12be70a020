package io.haddns.controller.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
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

  /**
   * A YAML list of distinct IP literals; empty (with a problem on each bad item) when it is not a
   * list or an item is not a literal, is a duplicate, or is rejected by {@code allowed}.
   */
  static Optional<List<InetAddress>> distinctList(
      YamlValue value, String duplicate, Predicate<InetAddress> allowed, String notAllowed) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<InetAddress> out = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<InetAddress> ip = item.string().flatMap(IpLiteral::parse);
      if (ip.isEmpty()) {
        if (item.string().isPresent()) {
          item.problem("not an IPv4 or IPv6 address");
        }
        ok = false;
      } else if (!allowed.test(ip.get())) {
        item.problem(notAllowed);
        ok = false;
      } else if (out.contains(ip.get())) {
        item.problem(duplicate);
        ok = false;
      } else {
        out.add(ip.get());
      }
    }
    return ok ? Optional.of(List.copyOf(out)) : Optional.empty();
  }
}
