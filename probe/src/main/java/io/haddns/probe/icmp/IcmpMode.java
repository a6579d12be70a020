package io.haddns.probe.icmp;

/** The kind of socket an {@link IcmpProber} sends echo requests through. */
public enum IcmpMode {
  /**
   * Unprivileged ping socket ({@code SOCK_DGRAM}, {@code IPPROTO_ICMP}/{@code IPPROTO_ICMPV6}):
   * allowed when the process's group is inside the sysctl {@code net.ipv4.ping_group_range}. The
   * kernel sets the echo identifier and checksum and only delivers this socket's replies.
   */
  PING_SOCKET,
  /**
   * Raw socket ({@code SOCK_RAW}): needs {@code CAP_NET_RAW}. Sees every ICMP message of the host,
   * so replies are filtered by identifier, sequence and cookie; also reports destination
   * unreachable.
   */
  RAW;

  public String label() {
    return this == PING_SOCKET ? "ping-socket" : "raw";
  }
}
