package io.haddns.controller.config;

import io.haddns.controller.net.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a line's {@code address}: exactly one of {@code {static: [ip, …]}} or {@code {agent: id}}.
 */
final class LineAddressReader {
  private LineAddressReader() {}

  static Optional<LineAddress> read(YamlValue value) {
    Optional<YamlMap> map = value.map();
    if (map.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = map.get().allow("static", "agent");
    boolean hasStatic = m.has("static");
    boolean hasAgent = m.has("agent");
    if (hasStatic == hasAgent) {
      value.problem(
          "must hold exactly one of 'static' (fixed addresses) or 'agent' (reported by an agent)");
      return Optional.empty();
    }
    return hasStatic
        ? m.get("static").flatMap(LineAddressReader::staticAddresses)
        : m.get("agent").flatMap(LineAddressReader::agent);
  }

  private static Optional<LineAddress> staticAddresses(YamlValue value) {
    Optional<List<YamlValue>> items = value.list();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty()) {
      value.problem("must list at least one address");
      return Optional.empty();
    }
    boolean ok = true;
    Map<InetAddress, String> seen = new LinkedHashMap<>();
    for (YamlValue item : items.get()) {
      Optional<InetAddress> address = item.string().flatMap(s -> address(item, s));
      if (address.isEmpty()) {
        ok = false;
        continue;
      }
      String first = seen.putIfAbsent(address.get(), item.path());
      if (first != null) {
        item.problem("duplicate address; already listed at " + first);
        ok = false;
      }
    }
    return ok
        ? Optional.of(new LineAddress.Static(new ArrayList<>(seen.keySet())))
        : Optional.empty();
  }

  private static Optional<InetAddress> address(YamlValue item, String text) {
    Optional<InetAddress> address = IpLiteral.parse(text.trim());
    if (address.isEmpty()) {
      item.problem(
          DnsNameSyntax.isHostName(text.trim())
              ? "must be an IPv4 or IPv6 address, not a host name (a line is probed and"
                  + " published by address)"
              : "is not a valid IPv4 or IPv6 address");
      return Optional.empty();
    }
    InetAddress a = address.get();
    if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
      item.problem(
          "must be a unicast address, not "
              + (a.isAnyLocalAddress() ? "unspecified" : "multicast"));
      return Optional.empty();
    }
    return address;
  }

  private static Optional<LineAddress> agent(YamlValue value) {
    Optional<String> id = value.string();
    if (id.isPresent() && !LinesSection.NAME.matcher(id.get()).matches()) {
      value.problem(
          "an agent id must start with a letter or digit and hold only letters, digits, '_', '.'"
              + " and '-'");
      return Optional.empty();
    }
    return id.map(LineAddress.Agent::new);
  }
}
