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

  /**
   * A configuration with {@code cluster} and {@code node} and everything else at its default: no
   * lines, zones, records, agents, dyndns2 credentials or operator credentials; the audit trail's,
   * drills' and metrics' defaults; no notifications.
   */
  public static Builder builder(ClusterConfig cluster, NodeConfig node) {
    return new Builder(cluster, node);
  }

  /** A builder holding this configuration, to copy it with some parts changed. */
  public Builder toBuilder() {
    return new Builder(cluster, node)
        .lines(lines)
        .zones(zones)
        .records(records)
        .agents(agents)
        .dyndns2(dyndns2)
        .operators(operators)
        .audit(audit)
        .drills(drills)
        .notifications(notifications)
        .metrics(metrics);
  }

  /** Builds a {@link HaddnsConfig}; each part not set keeps {@link #builder}'s default. */
  public static final class Builder {
    private ClusterConfig cluster;
    private NodeConfig node;
    private List<LineConfig> lines = List.of();
    private List<ZoneConfig> zones = List.of();
    private List<RecordConfig> records = List.of();
    private List<AgentConfig> agents = List.of();
    private List<Dyndns2Config> dyndns2 = List.of();
    private OperatorsConfig operators = OperatorsConfig.none();
    private AuditConfig audit = AuditConfig.defaults();
    private DrillsConfig drills = DrillsConfig.defaults();
    private NotificationsConfig notifications = NotificationsConfig.none();
    private MetricsConfig metrics = MetricsConfig.defaults();

    private Builder(ClusterConfig cluster, NodeConfig node) {
      this.cluster = cluster;
      this.node = node;
    }

    public Builder cluster(ClusterConfig cluster) {
      this.cluster = cluster;
      return this;
    }

    public Builder node(NodeConfig node) {
      this.node = node;
      return this;
    }

    public Builder lines(List<LineConfig> lines) {
      this.lines = lines;
      return this;
    }

    public Builder zones(List<ZoneConfig> zones) {
      this.zones = zones;
      return this;
    }

    public Builder records(List<RecordConfig> records) {
      this.records = records;
      return this;
    }

    public Builder agents(List<AgentConfig> agents) {
      this.agents = agents;
      return this;
    }

    public Builder dyndns2(List<Dyndns2Config> dyndns2) {
      this.dyndns2 = dyndns2;
      return this;
    }

    public Builder operators(OperatorsConfig operators) {
      this.operators = operators;
      return this;
    }

    public Builder audit(AuditConfig audit) {
      this.audit = audit;
      return this;
    }

    public Builder drills(DrillsConfig drills) {
      this.drills = drills;
      return this;
    }

    public Builder notifications(NotificationsConfig notifications) {
      this.notifications = notifications;
      return this;
    }

    public Builder metrics(MetricsConfig metrics) {
      this.metrics = metrics;
      return this;
    }

    public HaddnsConfig build() {
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
    return toBuilder().operators(operators).build();
  }

  /** A copy with other drill settings. */
  public HaddnsConfig withDrills(DrillsConfig drills) {
    return toBuilder().drills(drills).build();
  }

  public Optional<ZoneConfig> zone(String name) {
    return zones.stream().filter(z -> z.name().equals(name)).findFirst();
  }

  /** A copy with other per-node settings (flags and environment override the file). */
  public HaddnsConfig withNode(NodeConfig node) {
    return toBuilder().node(node).build();
  }
}
