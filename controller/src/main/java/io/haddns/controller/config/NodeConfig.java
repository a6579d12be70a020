package io.haddns.controller.config;

import io.haddns.controller.netty.ListenerLimits;
import io.haddns.controller.netty.TransportPreference;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-node settings: from flags or environment, or the file for single-node use.
 *
 * @param httpHost address the admin/metrics HTTP server binds
 * @param httpPort port of that server; 0 picks a free one
 * @param dnsHost address the embedded DNS server binds (used when a zone has provider embedded)
 * @param dnsPort UDP and TCP port of the embedded DNS server; 0 picks a free one
 * @param gateway where the update gateway listens (used when agents or dyndns2 are configured)
 * @param dnsAdvertise the addresses other nodes publish as this node's NS glue ({@code
 *     node.dns.advertise}); empty: {@code dnsHost} when it is a specific address, else this host's
 *     first global or site-local IPv4 and IPv6 addresses
 * @param httpLimits connection caps and request deadline of the admin server ({@code node.http})
 * @param dnsTcpLimits connection caps and query deadline of the embedded DNS server's TCP side
 *     ({@code node.dns})
 * @param descriptorReserve file descriptors kept free of connections for the probers, ZooKeeper and
 *     providers ({@code node.descriptors.reserve}); empty: a quarter of the limit, at least 64
 * @param httpAdvertise the address other nodes reach this node's admin server at ({@code
 *     node.http.advertise} or {@code HADDNS_HTTP_ADVERTISE}); empty: {@code httpHost} when it is a
 *     specific address, else this host's first global or site-local address
 * @param transport whether the node's servers may use Netty's native epoll transport ({@code
 *     node.transport}: {@code auto}, the default) or stay on NIO ({@code nio})
 * @param tcpProbes how the leader sends TCP probes ({@code node.tcpProbes}: {@code connect}, the
 *     default, or {@code half-open})
 */
public record NodeConfig(
    String id,
    String httpHost,
    int httpPort,
    String dnsHost,
    int dnsPort,
    GatewayListen gateway,
    List<InetAddress> dnsAdvertise,
    ListenerLimits httpLimits,
    ListenerLimits dnsTcpLimits,
    OptionalInt descriptorReserve,
    Optional<InetAddress> httpAdvertise,
    TransportPreference transport,
    TcpProbeMethod tcpProbes) {
  public static final int DEFAULT_HTTP_PORT = 8053;

  /** 64 connections, 16 per source, each request within 10 s of its first byte. */
  public static final ListenerLimits DEFAULT_HTTP_LIMITS =
      new ListenerLimits(64, 16, Duration.ofSeconds(10));

  /** 512 TCP connections, 32 per source, each query within 5 s of its first byte. */
  public static final ListenerLimits DEFAULT_DNS_TCP_LIMITS =
      new ListenerLimits(512, 32, Duration.ofSeconds(5));

  public static final String DEFAULT_DNS_HOST = "0.0.0.0";
  public static final int DEFAULT_DNS_PORT = 53;

  public NodeConfig(String id, String httpHost, int httpPort) {
    this(id, httpHost, httpPort, DEFAULT_DNS_HOST, DEFAULT_DNS_PORT);
  }

  public NodeConfig(String id, String httpHost, int httpPort, String dnsHost, int dnsPort) {
    this(id, httpHost, httpPort, dnsHost, dnsPort, GatewayListen.defaults());
  }

  public NodeConfig(
      String id,
      String httpHost,
      int httpPort,
      String dnsHost,
      int dnsPort,
      GatewayListen gateway) {
    this(id, httpHost, httpPort, dnsHost, dnsPort, gateway, List.of());
  }

  public NodeConfig(
      String id,
      String httpHost,
      int httpPort,
      String dnsHost,
      int dnsPort,
      GatewayListen gateway,
      List<InetAddress> dnsAdvertise) {
    this(
        id,
        httpHost,
        httpPort,
        dnsHost,
        dnsPort,
        gateway,
        dnsAdvertise,
        DEFAULT_HTTP_LIMITS,
        DEFAULT_DNS_TCP_LIMITS,
        OptionalInt.empty());
  }

  public NodeConfig(
      String id,
      String httpHost,
      int httpPort,
      String dnsHost,
      int dnsPort,
      GatewayListen gateway,
      List<InetAddress> dnsAdvertise,
      ListenerLimits httpLimits,
      ListenerLimits dnsTcpLimits,
      OptionalInt descriptorReserve) {
    this(
        id,
        httpHost,
        httpPort,
        dnsHost,
        dnsPort,
        gateway,
        dnsAdvertise,
        httpLimits,
        dnsTcpLimits,
        descriptorReserve,
        Optional.empty(),
        TransportPreference.AUTO,
        TcpProbeMethod.CONNECT);
  }

  public NodeConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(httpHost, "httpHost");
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("node.httpPort must be 0..65535, was " + httpPort);
    }
    Objects.requireNonNull(dnsHost, "dnsHost");
    if (dnsPort < 0 || dnsPort > 65535) {
      throw new IllegalArgumentException("node.dnsPort must be 0..65535, was " + dnsPort);
    }
    Objects.requireNonNull(gateway, "gateway");
    dnsAdvertise = List.copyOf(dnsAdvertise);
    Objects.requireNonNull(httpLimits, "httpLimits");
    Objects.requireNonNull(dnsTcpLimits, "dnsTcpLimits");
    Objects.requireNonNull(descriptorReserve, "descriptorReserve");
    Objects.requireNonNull(httpAdvertise, "httpAdvertise");
    if (httpAdvertise.filter(InetAddress::isAnyLocalAddress).isPresent()) {
      throw new IllegalArgumentException("node.http.advertise cannot be a wildcard address");
    }
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(tcpProbes, "tcpProbes");
  }

  /** This configuration with TCP probes sent by {@code method}. */
  public NodeConfig withTcpProbes(TcpProbeMethod method) {
    return new NodeConfig(
        id,
        httpHost,
        httpPort,
        dnsHost,
        dnsPort,
        gateway,
        dnsAdvertise,
        httpLimits,
        dnsTcpLimits,
        descriptorReserve,
        httpAdvertise,
        transport,
        method);
  }
}
