package io.haddns.probe.icmp;

import com.sun.jna.LastErrorException;
import io.haddns.probe.sys.LibC;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the ICMP socket of one address family: a ping socket when {@code net.ipv4.ping_group_range}
 * admits the process, else a raw socket (needs {@code CAP_NET_RAW}). When neither is allowed, fails
 * with a message that names both remedies.
 */
final class IcmpSocketChooser {
  private static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");

  /** {@code socket(2)}; a seam so the choice is tested without privileges. */
  @FunctionalInterface
  interface SocketOpener {
    int open(int domain, int type, int protocol) throws LastErrorException;
  }

  /** An open non-blocking socket and how it was opened. */
  record Chosen(int fd, IcmpMode mode) {}

  private final SocketOpener opener;

  IcmpSocketChooser(SocketOpener opener) {
    this.opener = opener;
  }

  /**
   * Opens a socket for IPv6 when {@code v6}, else IPv4; {@code forced} null means ping socket
   * first, raw second.
   */
  Chosen choose(boolean v6, IcmpMode forced) {
    int domain = v6 ? LibC.AF_INET6 : LibC.AF_INET;
    int protocol = v6 ? LibC.IPPROTO_ICMPV6 : LibC.IPPROTO_ICMP;
    List<IcmpMode> tries = forced == null ? List.of(IcmpMode.values()) : List.of(forced);
    List<String> refusals = new ArrayList<>();
    for (IcmpMode mode : tries) {
      int type = (mode == IcmpMode.RAW ? LibC.SOCK_RAW : LibC.SOCK_DGRAM);
      try {
        return new Chosen(
            opener.open(domain, type | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, protocol), mode);
      } catch (LastErrorException e) {
        refusals.add(refusal(mode, e.getErrorCode()));
      }
    }
    throw new IcmpUnavailableException(
        "ICMP probing is not permitted for "
            + (v6 ? "IPv6" : "IPv4")
            + ": "
            + String.join("; ", refusals)
            + ". Allow one of them: widen the sysctl net.ipv4.ping_group_range to include this"
            + " process's group (e.g. sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"), or"
            + " grant the capability CAP_NET_RAW (systemd AmbientCapabilities=CAP_NET_RAW,"
            + " Kubernetes securityContext.capabilities.add: [NET_RAW])");
  }

  private static String refusal(IcmpMode mode, int errno) {
    String err = errnoName(errno);
    return switch (mode) {
      case PING_SOCKET ->
          "ping socket refused ("
              + err
              + ", sysctl net.ipv4.ping_group_range is "
              + currentPingGroupRange()
              + ")";
      case RAW -> "raw socket refused (" + err + ", needs CAP_NET_RAW)";
    };
  }

  private static String errnoName(int errno) {
    return switch (errno) {
      case LibC.EPERM -> "EPERM";
      case LibC.EACCES -> "EACCES";
      case LibC.EAFNOSUPPORT -> "EAFNOSUPPORT: address family not supported";
      case LibC.EPROTONOSUPPORT -> "EPROTONOSUPPORT";
      default -> "errno " + errno;
    };
  }

  private static String currentPingGroupRange() {
    // Files.readString trusts the size procfs reports and can stop after the first number.
    try (InputStream in = Files.newInputStream(PING_GROUP_RANGE)) {
      String range = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return "\"" + range.trim().replaceAll("\\s+", " ") + "\"";
    } catch (IOException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }
}
