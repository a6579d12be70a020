package io.haddns.controller.store;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What {@code lines/<line>/address} holds: the latest report of each family. */
public record LineAddressState(String line, Map<AddressFamily, LineAddressReport> families) {

  public LineAddressState {
    Objects.requireNonNull(line, "line");
    families = Map.copyOf(families);
    families.forEach(
        (f, r) -> {
          if (r.family() != f || !r.line().equals(line)) {
            throw new IllegalArgumentException("report " + r + " filed under " + line + "/" + f);
          }
        });
  }

  public static LineAddressState empty(String line) {
    return new LineAddressState(line, Map.of());
  }

  public Optional<LineAddressReport> report(AddressFamily family) {
    return Optional.ofNullable(families.get(family));
  }

  /** A copy with {@code report} replacing its family's entry. */
  public LineAddressState with(LineAddressReport report) {
    Map<AddressFamily, LineAddressReport> next = new EnumMap<>(AddressFamily.class);
    next.putAll(families);
    next.put(report.family(), report);
    return new LineAddressState(line, next);
  }

  /** Every current address, IPv4 first. */
  public List<InetAddress> addresses() {
    List<InetAddress> all = new ArrayList<>();
    for (AddressFamily f : AddressFamily.values()) {
      report(f).ifPresent(r -> all.addAll(r.addresses()));
    }
    return List.copyOf(all);
  }
}
