package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.DnsNames;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One name server of a served zone, listed in the zone's apex NS RRset. When {@code name} lies
 * inside the zone, {@code addresses} become its A/AAAA records and the glue of NS answers (RFC 1034
 * §4.2.1); outside the zone they are ignored, since another zone is authoritative for them.
 *
 * @param name canonical host name, e.g. {@code ns1.example.com}
 * @param addresses the node's public addresses; may be empty for an out-of-zone name
 */
public record NameServer(String name, List<InetAddress> addresses) {
  public NameServer {
    Objects.requireNonNull(name, "name");
    name = DnsNames.canonical(name);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name server name must not be empty");
    }
    addresses = List.copyOf(addresses);
  }
}
