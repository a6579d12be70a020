package io.haddns.agent.report;

import java.util.Locale;

/** The address family of a report, with its wire name ({@code ipv4} / {@code ipv6}). */
public enum AddressFamily {
  IPV4(4),
  IPV6(16);

  private final int byteLength;

  AddressFamily(int byteLength) {
    this.byteLength = byteLength;
  }

  /** Length of an address of this family in network-order bytes. */
  public int byteLength() {
    return byteLength;
  }

  /** The name used on the wire and in configuration. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException for anything but {@code ipv4} or {@code ipv6}
   */
  public static AddressFamily fromWireName(String name) {
    return switch (name) {
      case "ipv4" -> IPV4;
      case "ipv6" -> IPV6;
      default -> throw new IllegalArgumentException("family must be ipv4 or ipv6, got: " + name);
    };
  }
}
