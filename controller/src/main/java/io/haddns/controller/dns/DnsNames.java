package io.haddns.controller.dns;

import java.util.Locale;

/** Canonical form of DNS names inside haddns: lower case, no trailing dot. */
public final class DnsNames {
  private DnsNames() {}

  public static String canonical(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** True when {@code name} equals {@code zone} or lies below it; both canonical. */
  public static boolean isInZone(String name, String zone) {
    return name.equals(zone) || name.endsWith("." + zone);
  }
}
