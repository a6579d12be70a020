package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Comparator;
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
 * <p>IPv6 prefers a global address over a link-local one (a link-local source cannot reach a server
 * off the link). An absent interface, an interface that is down, or one without an address of the
 * family is an {@link IOException}: the detection fails rather than leave over another line.
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

  InterfaceSource(String name, Lookup lookup) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("interface name is required");
    }
    this.name = name;
    this.lookup = Objects.requireNonNull(lookup);
  }

  /** Binding to the named interface of this host. */
  public static InterfaceSource of(String name) {
    return new InterfaceSource(name, InterfaceSource::javaLookup);
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
    Class<? extends InetAddress> type =
        family == AddressFamily.IPV4 ? Inet4Address.class : Inet6Address.class;
    return Optional.of(
        s.addresses().stream()
            .filter(type::isInstance)
            .min(Comparator.comparing(InetAddress::isLinkLocalAddress))
            .orElseThrow(
                () ->
                    new IOException(
                        "interface " + name + " has no " + family.wireName() + " address")));
  }

  @Override
  public String toString() {
    return "interface " + name;
  }
}
