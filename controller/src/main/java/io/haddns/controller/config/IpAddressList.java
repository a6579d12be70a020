package io.haddns.controller.config;

import io.haddns.controller.net.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Reads a YAML list of distinct IP literals. */
final class IpAddressList {
  private IpAddressList() {}

  /**
   * The addresses {@code value} lists; empty (with a problem on each bad item) when it is not a
   * list or an item is not a literal, is a duplicate, or is rejected by {@code allowed}.
   */
  static Optional<List<InetAddress>> distinct(
      YamlValue value, String duplicate, Predicate<InetAddress> allowed, String notAllowed) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<InetAddress> out = new ArrayList<>();
    boolean ok = true;
    for (YamlValue item : items.get()) {
      Optional<InetAddress> ip = item.string().flatMap(s -> IpLiteral.parse(s.trim()));
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
