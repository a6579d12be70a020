package io.haddns.controller.runtime;

import io.haddns.controller.config.NodeConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The addresses a node advertises for its embedded DNS server, which the other nodes publish as NS
 * glue: {@code node.dns.advertise} when set; else {@code node.dns.host} when it is a specific
 * address; else, for a wildcard bind, this host's first global or site-local IPv4 address and first
 * global IPv6 address of an interface that is up (loopback and link-local excluded).
 */
final class DnsAdvertise {
  private DnsAdvertise() {}

  static List<InetAddress> of(NodeConfig node) {
    if (!node.dnsAdvertise().isEmpty()) {
      return node.dnsAdvertise();
    }
    try {
      InetAddress bound = InetAddress.getByName(node.dnsHost());
      if (!bound.isAnyLocalAddress()) {
        return List.of(bound);
      }
    } catch (UnknownHostException e) {
      return List.of();
    }
    return interfaceAddresses();
  }

  /**
   * This host's first global or site-local IPv4 address and first global IPv6 address of an
   * interface that is up (loopback and link-local excluded), in that order.
   */
  static List<InetAddress> interfaceAddresses() {
    List<InetAddress> all = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback()) {
          all.addAll(Collections.list(nic.getInetAddresses()));
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    List<InetAddress> out = new ArrayList<>();
    first(all, Inet4Address.class).ifPresent(out::add);
    first(all, Inet6Address.class).ifPresent(out::add);
    return List.copyOf(out);
  }

  private static Optional<InetAddress> first(List<InetAddress> all, Class<?> family) {
    return all.stream()
        .filter(family::isInstance)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isMulticastAddress())
        .findFirst()
        .map(DnsAdvertise::withoutScope);
  }

  /**
   * The address without the interface scope an interface listing attaches to IPv6 addresses ({@code
   * fd00::2%eth0}): it names this host's interface, means nothing to the other nodes that read the
   * advertised address, and is not an address literal they accept.
   */
  static InetAddress withoutScope(InetAddress a) {
    if (a instanceof Inet6Address v6 && (v6.getScopeId() != 0 || v6.getScopedInterface() != null)) {
      try {
        return InetAddress.getByAddress(a.getAddress());
      } catch (UnknownHostException e) {
        throw new IllegalStateException("16 bytes are an IPv6 address", e);
      }
    }
    return a;
  }
}
