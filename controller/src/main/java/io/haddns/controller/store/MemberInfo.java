package io.haddns.controller.store;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A live node, as registered under {@code members/} for as long as its session lives.
 *
 * @param dnsAddresses the addresses at which this node's embedded DNS server is reached (its {@code
 *     node.dns.advertise}); empty when it serves no zone itself. The zones' NS records list the
 *     members that have some.
 */
public record MemberInfo(
    String nodeId,
    String httpAddress,
    String version,
    Instant startedAt,
    List<InetAddress> dnsAddresses) {
  public MemberInfo {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(httpAddress, "httpAddress");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    dnsAddresses = List.copyOf(dnsAddresses);
  }

  /** A member that serves no DNS itself. */
  public MemberInfo(String nodeId, String httpAddress, String version, Instant startedAt) {
    this(nodeId, httpAddress, version, startedAt, List.of());
  }
}
