package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a line's addresses straight from a local interface (a line whose public address sits on the
 * host, e.g. PPPoE or IPv6 with SLAAC). Only acceptable ({@link PublicAddressFilter}) addresses
 * count. For IPv6 on Linux, {@code /proc/net/if_inet6} flags exclude temporary (privacy, RFC 8981),
 * deprecated, tentative and DAD-failed addresses, so the stable address is reported; elsewhere (or
 * without {@code /proc}) every global address counts.
 */
public final class InterfaceDetector implements IpDetector {
  // include/uapi/linux/if_addr.h: IFA_F_TEMPORARY, IFA_F_DADFAILED, IFA_F_DEPRECATED,
  // IFA_F_TENTATIVE
  static final int EXCLUDED_FLAGS = 0x01 | 0x08 | 0x20 | 0x40;

  /** Lists an interface's addresses; a seam so tests need no real interfaces. */
  @FunctionalInterface
  interface AddressSource {
    List<IpAddress> addresses(String interfaceName) throws IOException;
  }

  private final String interfaceName;
  private final AddressSource source;
  private final Optional<Path> ifInet6;
  private final PublicAddressFilter filter;

  InterfaceDetector(
      String interfaceName,
      AddressSource source,
      Optional<Path> ifInet6,
      PublicAddressFilter filter) {
    this.interfaceName = interfaceName;
    this.source = source;
    this.ifInet6 = ifInet6;
    this.filter = filter;
  }

  /** The production detector: Java's {@link NetworkInterface} plus Linux's if_inet6 flags. */
  public static InterfaceDetector create(String interfaceName, PublicAddressFilter filter) {
    return new InterfaceDetector(
        interfaceName,
        InterfaceDetector::javaAddresses,
        Optional.of(Path.of("/proc/net/if_inet6")),
        filter);
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
    Map<IpAddress, Integer> flags = family == AddressFamily.IPV6 ? ipv6Flags() : Map.of();
    List<IpAddress> usable =
        all.stream()
            .filter(a -> a.family() == family)
            .filter(filter::accepts)
            .filter(a -> (flags.getOrDefault(a, 0) & EXCLUDED_FLAGS) == 0)
            .toList();
    if (usable.isEmpty()) {
      return new Detection.Failed(
          "interface " + interfaceName + " has no usable " + family.wireName() + " address");
    }
    return new Detection.Found(usable, name() + " " + interfaceName);
  }

  /** Address → flags of {@code interfaceName}'s IPv6 addresses; empty if unreadable. */
  Map<IpAddress, Integer> ipv6Flags() {
    if (ifInet6.isEmpty()) {
      return Map.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(ifInet6.get());
    } catch (IOException e) {
      // No /proc (not Linux, or a container without it): every global address counts.
      return Map.of();
    }
    Map<IpAddress, Integer> out = new HashMap<>();
    for (String line : lines) {
      // "<32 hex address> <ifindex> <prefixlen> <scope> <flags> <name>", all hex but the name.
      String[] f = line.trim().split("\\s+");
      if (f.length != 6 || f[0].length() != 32 || !f[5].equals(interfaceName)) {
        continue;
      }
      try {
        byte[] bytes = java.util.HexFormat.of().parseHex(f[0]);
        out.put(IpAddress.ofBytes(bytes), Integer.parseInt(f[4], 16));
      } catch (IllegalArgumentException e) {
        continue;
      }
    }
    return out;
  }
}
