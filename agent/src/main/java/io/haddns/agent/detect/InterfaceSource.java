package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A line bound by interface name ({@code lines[].interface: eth1}): each connection binds the
 * interface's current address of the wanted family, looked up through {@link NetworkInterface} just
 * before connecting, so a PPPoE or DHCP line whose address changes keeps working. This is
 * source-address binding (policy routing must route that source over the line), not Linux's
 * SO_BINDTODEVICE, which Java cannot set; it works the same on Windows.
 *
 * <p>IPv6 binds the address {@link Ipv6AddressSelector} ranks first among the interface's global
 * unicast (2000::/3) addresses: never a temporary or deprecated one where the kernel's flags are
 * known (Linux), a permanent or EUI-64 one preferred. A ULA, link-local or loopback address is
 * bound only when {@code allowNonGlobal} (the line's {@code allowPrivate}) is set, and then after
 * any global one. An absent interface, an interface that is down, or one without a usable address
 * of the family is an {@link IOException}: the detection fails rather than leave over another line.
 */
public final class InterfaceSource implements SourceBinding {

  /** The state of a named interface; a seam so unit tests need no real interfaces. */
  @FunctionalInterface
  interface Lookup {
    /** Empty if no such interface. */
    Optional<Snapshot> find(String name) throws IOException;
  }

  /** An interface's state at one moment. */
  record Snapshot(boolean up, List<InetAddress> addresses) {
    Snapshot {
      addresses = List.copyOf(addresses);
    }
  }

  private final String name;
  private final Lookup lookup;
  private final Ipv6AddressSelector ipv6;
  private final boolean allowNonGlobal;

  InterfaceSource(String name, Lookup lookup, Ipv6AddressSelector ipv6, boolean allowNonGlobal) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("interface name is required");
    }
    this.name = name;
    this.lookup = Objects.requireNonNull(lookup);
    this.ipv6 = Objects.requireNonNull(ipv6);
    this.allowNonGlobal = allowNonGlobal;
  }

  /** Binding to the named interface of this host, global IPv6 addresses only. */
  public static InterfaceSource of(String name) {
    return of(name, false);
  }

  /**
   * Binding to the named interface of this host.
   *
   * @param allowNonGlobal also bind a ULA, link-local or loopback IPv6 address (labs, NPTv6)
   */
  public static InterfaceSource of(String name, boolean allowNonGlobal) {
    return new InterfaceSource(
        name, InterfaceSource::javaLookup, Ipv6AddressSelector.system(), allowNonGlobal);
  }

  private static Optional<Snapshot> javaLookup(String name) throws IOException {
    NetworkInterface nif = NetworkInterface.getByName(name);
    if (nif == null) {
      return Optional.empty();
    }
    return Optional.of(new Snapshot(nif.isUp(), Collections.list(nif.getInetAddresses())));
  }

  public String name() {
    return name;
  }

  @Override
  public Optional<InetAddress> localAddress(AddressFamily family) throws IOException {
    Snapshot s =
        lookup.find(name).orElseThrow(() -> new IOException("no interface " + name + " on host"));
    if (!s.up()) {
      throw new IOException("interface " + name + " is down");
    }
    if (family == AddressFamily.IPV4) {
      return Optional.of(
          s.addresses().stream()
              .filter(Inet4Address.class::isInstance)
              .findFirst()
              .orElseThrow(() -> new IOException("interface " + name + " has no ipv4 address")));
    }
    List<InetAddress> v6 = s.addresses().stream().filter(Inet6Address.class::isInstance).toList();
    List<IpAddress> ranked =
        ipv6.rank(
            name,
            v6.stream().map(IpAddress::of).toList(),
            a -> allowNonGlobal || Ipv6AddressSelector.isGlobalUnicast(a));
    if (ranked.isEmpty()) {
      throw new IOException(
          "interface "
              + name
              + " has no usable ipv6 address"
              + (v6.isEmpty() ? "" : " (only temporary, deprecated, ULA or link-local ones)"));
    }
    // The interface's own InetAddress keeps a link-local address's scope id for bind().
    return v6.stream().filter(a -> IpAddress.of(a).equals(ranked.get(0))).findFirst();
  }

  @Override
  public String toString() {
    return "interface " + name;
  }
}
