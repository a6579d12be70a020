package io.haddns.controller.config;

import io.haddns.controller.net.AddressPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The whole validated configuration: the same file on every node, plus per-node settings. */
public record HaddnsConfig(
    ClusterConfig cluster,
    List<LineConfig> lines,
    List<ZoneConfig> zones,
    List<RecordConfig> records,
    List<AgentConfig> agents,
    List<Dyndns2Config> dyndns2,
    NodeConfig node,
    OperatorsConfig operators,
    AuditConfig audit,
    DrillsConfig drills,
    NotificationsConfig notifications,
    MetricsConfig metrics) {

  public HaddnsConfig {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(drills, "drills");
    Objects.requireNonNull(notifications, "notifications");
    Objects.requireNonNull(cluster, "cluster");
    lines = List.copyOf(lines);
    zones = List.copyOf(zones);
    records = List.copyOf(records);
    agents = List.copyOf(agents);
    dyndns2 = List.copyOf(dyndns2);
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(operators, "operators");
  }

  /** With the drills' defaults and without notifications. */
  public HaddnsConfig(
      ClusterConfig cluster,
      List<LineConfig> lines,
      List<ZoneConfig> zones,
      List<RecordConfig> records,
      List<AgentConfig> agents,
      List<Dyndns2Config> dyndns2,
      NodeConfig node,
      OperatorsConfig operators,
      AuditConfig audit) {
    this(
        cluster,
        lines,
        zones,
        records,
        agents,
        dyndns2,
        node,
        operators,
        audit,
        DrillsConfig.defaults(),
        NotificationsConfig.none());
  }

  /** A configuration without operator credentials, with the audit trail's default retention. */
  public HaddnsConfig(
      ClusterConfig cluster,
      List<LineConfig> lines,
      List<ZoneConfig> zones,
      List<RecordConfig> records,
      List<AgentConfig> agents,
      List<Dyndns2Config> dyndns2,
      NodeConfig node) {
    this(cluster, lines, zones, records, agents, dyndns2, node, OperatorsConfig.none());
  }

  /** With the audit trail's default retention. */
  public HaddnsConfig(
      ClusterConfig cluster,
      List<LineConfig> lines,
      List<ZoneConfig> zones,
      List<RecordConfig> records,
      List<AgentConfig> agents,
      List<Dyndns2Config> dyndns2,
      NodeConfig node,
      OperatorsConfig operators) {
    this(cluster, lines, zones, records, agents, dyndns2, node, operators, AuditConfig.defaults());
  }

  /** Without operator credentials. */
  public HaddnsConfig(
      ClusterConfig cluster,
      List<LineConfig> lines,
      List<ZoneConfig> zones,
      List<RecordConfig> records,
      List<AgentConfig> agents,
      List<Dyndns2Config> dyndns2,
      NodeConfig node,
      AuditConfig audit) {
    this(cluster, lines, zones, records, agents, dyndns2, node, OperatorsConfig.none(), audit);
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

  /** With the default {@link MetricsConfig}. */
  public HaddnsConfig(
      ClusterConfig cluster,
      List<LineConfig> lines,
      List<ZoneConfig> zones,
      List<RecordConfig> records,
      List<AgentConfig> agents,
      List<Dyndns2Config> dyndns2,
      NodeConfig node,
      OperatorsConfig operators,
      AuditConfig audit,
      DrillsConfig drills,
      NotificationsConfig notifications) {
    this(
        cluster,
        lines,
        zones,
        records,
        agents,
        dyndns2,
        node,
        operators,
        audit,
        drills,
        notifications,
        MetricsConfig.defaults());
  }

  public Optional<LineConfig> line(String name) {
    return lines.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /**
   * The addresses each line may have, by line name: its own {@code allowPrivate}, or its reporter's
   * (the agent or dyndns2 credential it names), admits private ones; globally reachable ones
   * otherwise. Static addresses are the operator's and are used as written. Linear in the lines and
   * reporters; callers keep the map.
   */
  public Map<String, AddressPolicy> addressPolicies() {
    Set<String> allowing = new HashSet<>();
    agents.stream().filter(AgentConfig::allowPrivate).forEach(a -> allowing.add(a.id()));
    dyndns2.stream().filter(Dyndns2Config::allowPrivate).forEach(d -> allowing.add(d.username()));
    Map<String, AddressPolicy> out = new HashMap<>();
    for (LineConfig l : lines) {
      boolean reporterAllows =
          l.address() instanceof LineAddress.Agent a && allowing.contains(a.agentId());
      out.put(l.name(), l.addressPolicy().or(reporterAllows));
    }
    return Map.copyOf(out);
  }

  /**
   * The addresses line {@code line} may have ({@link #addressPolicies}); public only if unknown.
   */
  public AddressPolicy addressPolicy(String line) {
    return addressPolicies().getOrDefault(line, AddressPolicy.PUBLIC_ONLY);
  }

  /** A copy with other operator credentials. */
  public HaddnsConfig withOperators(OperatorsConfig operators) {
    return new HaddnsConfig(
        cluster,
        lines,
        zones,
        records,
        agents,
        dyndns2,
        node,
        operators,
        audit,
        drills,
        notifications,
        metrics);
  }

  /** A copy with other drill settings. */
  public HaddnsConfig withDrills(DrillsConfig drills) {
    return new HaddnsConfig(
        cluster,
        lines,
        zones,
        records,
        agents,
        dyndns2,
        node,
        operators,
        audit,
        drills,
        notifications,
        metrics);
  }

  public Optional<ZoneConfig> zone(String name) {
    return zones.stream().filter(z -> z.name().equals(name)).findFirst();
  }

  /** A copy with other per-node settings (flags and environment override the file). */
  public HaddnsConfig withNode(NodeConfig node) {
    return new HaddnsConfig(
        cluster,
        lines,
        zones,
        records,
        agents,
        dyndns2,
        node,
        operators,
        audit,
        drills,
        notifications,
        metrics);
  }
}
