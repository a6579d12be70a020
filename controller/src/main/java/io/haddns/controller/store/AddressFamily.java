package io.haddns.controller.store;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/** The address family of a line address report; one report carries one family. */
public enum AddressFamily {
  IPV4("ipv4"),
  IPV6("ipv6");

  private final String label;

  AddressFamily(String label) {
    this.label = label;
  }

  /** The wire and storage name: {@code ipv4} or {@code ipv6}. */
  public String label() {
    return label;
  }

  public boolean accepts(InetAddress address) {
    return switch (this) {
      case IPV4 -> address instanceof Inet4Address;
      case IPV6 -> address instanceof Inet6Address;
    };
  }

  public static AddressFamily of(InetAddress address) {
    return address instanceof Inet4Address ? IPV4 : IPV6;
  }

  /** The family named {@code label} exactly (lower case), if any. */
  public static Optional<AddressFamily> ofLabel(String label) {
    for (AddressFamily f : values()) {
      if (f.label.equals(label)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
