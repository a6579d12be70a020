package io.haddns.controller.config;

import io.haddns.controller.net.AddressPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The whole validated configuration: the same file on every node, plus per-node settings. */
public record HaddnsConfig(
    ClusterConfig cluster,
    List<LineConfig> lines,
    List<ZoneConfig> zones,
    List<RecordConfig> records,
    List<AgentConfig> agents,
    List<Dyndns2Config> dyndns2,
    NodeConfig node) {

  public HaddnsConfig {
    Objects.requireNonNull(cluster, "cluster");
    lines = List.copyOf(lines);
    zones = List.copyOf(zones);
    records = List.copyOf(records);
    agents = List.copyOf(agents);
    dyndns2 = List.copyOf(dyndns2);
    Objects.requireNonNull(node, "node");
  }

  /** A configuration without agents or dyndns2 credentials. */
  public HaddnsConfig(
      ClusterConfig cluster,
      List<LineConfig> lines,
      List<ZoneConfig> zones,
      List<RecordConfig> records,
      NodeConfig node) {
    this(cluster, lines, zones, records, List.of(), List.of(), node);
  }

  public Optional<LineConfig> line(String name) {
    return lines.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /**
   * The addresses line {@code line} may have: its own {@code allowPrivate}, or its reporter's (the
   * agent or dyndns2 credential it names), admits private ones; globally reachable ones otherwise.
   * Static addresses are the operator's and are used as written. Unknown lines get {@link
   * AddressPolicy#PUBLIC_ONLY}.
   */
  public AddressPolicy addressPolicy(String line) {
    Optional<LineConfig> l = line(line);
    if (l.isEmpty()) {
      return AddressPolicy.PUBLIC_ONLY;
    }
    boolean reporterAllows =
        l.get().address() instanceof LineAddress.Agent a
            && (agents.stream().anyMatch(g -> g.id().equals(a.agentId()) && g.allowPrivate())
                || dyndns2.stream()
                    .anyMatch(d -> d.username().equals(a.agentId()) && d.allowPrivate()));
    return l.get().addressPolicy().or(reporterAllows);
  }

  public Optional<ZoneConfig> zone(String name) {
    return zones.stream().filter(z -> z.name().equals(name)).findFirst();
  }

  /** A copy with other per-node settings (flags and environment override the file). */
  public HaddnsConfig withNode(NodeConfig node) {
    return new HaddnsConfig(cluster, lines, zones, records, agents, dyndns2, node);
  }
}
