package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The local addresses a line's traffic leaves from on a multi-WAN host (at most one per family).
 * Binding a socket to one makes the host's policy routing send it over that line.
 */
public record SourceAddresses(Optional<InetAddress> ipv4, Optional<InetAddress> ipv6)
    implements SourceBinding {
  public static final SourceAddresses NONE =
      new SourceAddresses(Optional.empty(), Optional.empty());

  public SourceAddresses {
    if (ipv4.isPresent() && !(ipv4.get() instanceof Inet4Address)) {
      throw new IllegalArgumentException("ipv4 source address is not IPv4: " + ipv4.get());
    }
    if (ipv6.isPresent() && !(ipv6.get() instanceof Inet6Address)) {
      throw new IllegalArgumentException("ipv6 source address is not IPv6: " + ipv6.get());
    }
  }

  /** Sorts the given addresses by family; more than one per family is an error. */
  public static SourceAddresses of(List<InetAddress> addresses) {
    List<InetAddress> v4 = addresses.stream().filter(a -> a instanceof Inet4Address).toList();
    List<InetAddress> v6 = addresses.stream().filter(a -> a instanceof Inet6Address).toList();
    if (v4.size() > 1 || v6.size() > 1) {
      throw new IllegalArgumentException("at most one source address per family: " + addresses);
    }
    return new SourceAddresses(v4.stream().findFirst(), v6.stream().findFirst());
  }

  public Optional<InetAddress> forFamily(AddressFamily family) {
    return family == AddressFamily.IPV4 ? ipv4 : ipv6;
  }

  @Override
  public Optional<InetAddress> localAddress(AddressFamily family) {
    return forFamily(family);
  }
}
