package io.haddns.controller.dnsserver;

import io.haddns.controller.netty.ListenerLimits;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of an {@link EmbeddedDnsServer}.
 *
 * @param host address to bind for UDP and TCP, e.g. {@code 0.0.0.0}, {@code ::} or {@code
 *     127.0.0.1}
 * @param port UDP and TCP port; 0 picks one free for both
 * @param zones the zones answered authoritatively, distinct
 * @param soa SOA timers shared by all zones
 * @param maxUdpPayload the largest UDP response ever sent, and the size advertised in EDNS (RFC
 *     6891 §6.2.5; 1232 avoids IP fragmentation, as DNS Flag Day 2020 recommends)
 * @param tcpIdleTimeout a TCP connection with nothing to read for this long is closed (RFC 7766
 *     §6.2.3)
 * @param tcpLimits TCP connections allowed in all and per source, and how long one query may take
 *     to arrive from its first byte
 */
public record DnsServerSettings(
    String host,
    int port,
    List<ServedZone> zones,
    SoaTimers soa,
    int maxUdpPayload,
    Duration tcpIdleTimeout,
    ListenerLimits tcpLimits) {
  public static final int DEFAULT_MAX_UDP_PAYLOAD = 1232;
  public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final ListenerLimits DEFAULT_TCP_LIMITS =
      new ListenerLimits(512, 32, Duration.ofSeconds(5));

  /** Settings with the default TCP connection limits. */
  public DnsServerSettings(
      String host,
      int port,
      List<ServedZone> zones,
      SoaTimers soa,
      int maxUdpPayload,
      Duration tcpIdleTimeout) {
    this(host, port, zones, soa, maxUdpPayload, tcpIdleTimeout, DEFAULT_TCP_LIMITS);
  }

  public DnsServerSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("dns port must be 0..65535, was " + port);
    }
    zones = List.copyOf(zones);
    Set<String> names = new HashSet<>();
    for (ServedZone z : zones) {
      if (!names.add(z.name())) {
        throw new IllegalArgumentException("zone " + z.name() + " is listed twice");
      }
    }
    Objects.requireNonNull(soa, "soa");
    if (maxUdpPayload < 512 || maxUdpPayload > 65535) {
      throw new IllegalArgumentException(
          "dns maxUdpPayload must be 512..65535, was " + maxUdpPayload);
    }
    Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
    if (tcpIdleTimeout.isNegative() || tcpIdleTimeout.isZero()) {
      throw new IllegalArgumentException("dns tcpIdleTimeout must be positive: " + tcpIdleTimeout);
    }
    Objects.requireNonNull(tcpLimits, "tcpLimits");
  }

  public DnsServerSettings withTcpLimits(ListenerLimits limits) {
    return new DnsServerSettings(host, port, zones, soa, maxUdpPayload, tcpIdleTimeout, limits);
  }

  /** Settings with default SOA timers, UDP payload limit and TCP idle timeout. */
  public static DnsServerSettings of(String host, int port, List<ServedZone> zones) {
    return new DnsServerSettings(
        host, port, zones, SoaTimers.DEFAULTS, DEFAULT_MAX_UDP_PAYLOAD, DEFAULT_TCP_IDLE_TIMEOUT);
  }
}
