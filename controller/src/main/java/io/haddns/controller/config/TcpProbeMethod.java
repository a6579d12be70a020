package io.haddns.controller.config;

import java.util.Locale;

/** How the leader sends its TCP probes ({@code node.tcpProbes}, docs/configuration.md). */
public enum TcpProbeMethod {
  /** A full connect and a reset per probe: no privileges needed. */
  CONNECT,
  /** A SYN from a raw socket, answered by SYN-ACK or reset (needs {@code CAP_NET_RAW}). */
  HALF_OPEN;

  /** The value as written in the configuration: {@code connect}, {@code half-open}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
