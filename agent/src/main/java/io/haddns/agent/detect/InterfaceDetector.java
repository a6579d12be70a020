package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a line's addresses straight from a local interface (a line whose public address sits on the
 * host, e.g. PPPoE or IPv6 with SLAAC). Only acceptable ({@link PublicAddressFilter}) addresses
 * count. IPv4: every acceptable address. IPv6: the one stable address {@link Ipv6AddressSelector}
 * ranks first — on Linux temporary (privacy), deprecated, tentative and DAD-failed addresses are
 * excluded by their {@code /proc/net/if_inet6} flags; elsewhere, where Java cannot see the flags,
 * an EUI-64 address is preferred and a privacy address cannot be told from a stable one.
 */
public final class InterfaceDetector implements IpDetector {

  /** Lists an interface's addresses; a seam so tests need no real interfaces. */
  @FunctionalInterface
  interface AddressSource {
    List<IpAddress> addresses(String interfaceName) throws IOException;
  }

  private final String interfaceName;
  private final AddressSource source;
  private final Ipv6AddressSelector ipv6;
  private final PublicAddressFilter filter;

  InterfaceDetector(
      String interfaceName,
      AddressSource source,
      Ipv6AddressSelector ipv6,
      PublicAddressFilter filter) {
    this.interfaceName = interfaceName;
    this.source = source;
    this.ipv6 = ipv6;
    this.filter = filter;
  }

  /** The production detector: Java's {@link NetworkInterface} plus Linux's if_inet6 flags. */
  public static InterfaceDetector create(String interfaceName, PublicAddressFilter filter) {
    return new InterfaceDetector(
        interfaceName, InterfaceDetector::javaAddresses, Ipv6AddressSelector.system(), filter);
  }

  private static List<IpAddress> javaAddresses(String name) throws SocketException {
    NetworkInterface nif = NetworkInterface.getByName(name);
    if (nif == null) {
      throw new SocketException("no interface " + name);
    }
    List<IpAddress> out = new ArrayList<>();
    for (var address : Collections.list(nif.getInetAddresses())) {
      try {
        out.add(IpAddress.of(address));
      } catch (IllegalArgumentException e) {
        // An IPv4-mapped address on an interface is not a line address; skip it.
        continue;
      }
    }
    return out;
  }

  @Override
  public String name() {
    return "interface";
  }

  @Override
  public Detection detect(AddressFamily family) {
    List<IpAddress> all;
    try {
      all = source.addresses(interfaceName);
    } catch (IOException e) {
      return new Detection.Failed("interface " + interfaceName + ": " + e.getMessage());
    }
    List<IpAddress> usable =
        family == AddressFamily.IPV6
            ? ipv6.rank(interfaceName, all, filter::accepts).stream().limit(1).toList()
            : all.stream().filter(a -> a.family() == family).filter(filter::accepts).toList();
    if (usable.isEmpty()) {
      return new Detection.Failed(
          "interface " + interfaceName + " has no usable " + family.wireName() + " address");
    }
    return new Detection.Found(usable, name() + " " + interfaceName);
  }
}
