package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.DnsNames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A zone the embedded server answers for, with the name servers its apex NS RRset lists.
 *
 * @param name canonical zone name, e.g. {@code example.com}
 * @param nameservers the first is the SOA's MNAME; empty: the cluster's live nodes that serve DNS
 *     ({@link ZoneSource#nameServerAddresses()}), named as in {@link #withNodes}
 */
public record ServedZone(String name, List<NameServer> nameservers) {
  public ServedZone {
    Objects.requireNonNull(name, "name");
    name = DnsNames.canonical(name);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("zone name must not be empty (the root is not served)");
    }
    nameservers = List.copyOf(nameservers);
  }

  /** The zone with name servers that follow the cluster's live nodes. */
  public static ServedZone ofMembers(String zone) {
    return new ServedZone(zone, List.of());
  }

  /** Whether the name servers follow the live nodes rather than the configuration. */
  public boolean followsMembers() {
    return nameservers.isEmpty();
  }

  /**
   * The zone served by the cluster's nodes, named {@code ns1.<zone>}, {@code ns2.<zone>}, … in the
   * order given, each with its node's public addresses as glue; with no node given, a single {@code
   * ns1.<zone>} without glue.
   */
  public static ServedZone withNodes(String zone, List<List<InetAddress>> nodeAddresses) {
    String canonical = DnsNames.canonical(zone);
    List<NameServer> ns = new ArrayList<>();
    if (nodeAddresses.isEmpty()) {
      // No node is known yet (startup): an NS without glue until the members are seen.
      return new ServedZone(canonical, List.of(new NameServer("ns1." + canonical, List.of())));
    }
    for (int i = 0; i < nodeAddresses.size(); i++) {
      ns.add(new NameServer("ns" + (i + 1) + "." + canonical, nodeAddresses.get(i)));
    }
    return new ServedZone(canonical, ns);
  }
}
