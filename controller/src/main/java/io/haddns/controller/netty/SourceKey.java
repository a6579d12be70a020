package io.haddns.controller.netty;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HexFormat;

/**
 * The source a client is counted as, for per-source limits: its IPv4 address, or its IPv6 /64 (one
 * customer usually holds a whole /64, so counting single IPv6 addresses would be no limit).
 */
public final class SourceKey {
  private SourceKey() {}

  public static String of(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      return HexFormat.of().formatHex(b, 0, 8) + "/64";
    }
    return address.getHostAddress();
  }

  /** The key of an IP socket address; {@code ?} for anything else (all such share one key). */
  public static String of(SocketAddress address) {
    return address instanceof InetSocketAddress a && a.getAddress() != null
        ? of(a.getAddress())
        : "?";
  }
}
