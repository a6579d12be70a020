package io.haddns.controller.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

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
 */
public record NodeConfig(
    String id,
    String httpHost,
    int httpPort,
    String dnsHost,
    int dnsPort,
    GatewayListen gateway,
    List<InetAddress> dnsAdvertise) {
  public static final int DEFAULT_HTTP_PORT = 8053;
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
  }
}
