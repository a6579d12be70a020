package io.haddns.controller.admin;

import java.util.List;

/**
 * What {@code /api/v1/status} returns: this node's view of the cluster. Never contains secrets.
 *
 * @param leader node id of the current leader, or empty when unknown
 * @param epoch the newest leader term this node has seen
 */
public record ClusterStatus(
    String cluster,
    String node,
    boolean zookeeperConnected,
    boolean leading,
    String leader,
    long epoch,
    List<Member> members,
    List<Line> lines,
    List<Record> records,
    List<Zone> zones) {

  public ClusterStatus {
    members = List.copyOf(members);
    lines = List.copyOf(lines);
    records = List.copyOf(records);
    zones = zones == null ? List.of() : List.copyOf(zones);
  }

  /**
   * A configured zone; plans and foreign records as the reporting node last reconciled it (only the
   * leader reconciles, so they are empty on the others).
   *
   * @param planned in a dry run, the changes that would be written
   * @param foreign configured records held at the provider but not written by haddns, left alone
   * @param pause the operator's write pause, or null when the zone is written normally
   */
  public record Zone(
      String name, boolean dryRun, List<String> planned, List<String> foreign, Pause pause) {
    public Zone {
      planned = List.copyOf(planned);
      foreign = List.copyOf(foreign);
    }
  }

  /**
   * An operator's write pause of a zone.
   *
   * @param by the credential name that set it (never a secret)
   * @param since when it was set (RFC 3339)
   */
  public record Pause(String by, String reason, String since) {}

  /**
   * An operator's forced state of a line.
   *
   * @param state {@code down} (drained) or {@code up}
   * @param by the credential name that set it (never a secret)
   * @param at when it was set (RFC 3339)
   * @param until when it expires by itself (RFC 3339), or null for "until cleared"
   */
  public record Override(String state, String by, String reason, String at, String until) {}

  /** A live node. */
  public record Member(String node, String http, String version, String startedAt) {}

  /**
   * A line's decided health.
   *
   * @param override the operator's override in force, or null when the probes decide
   */
  public record Line(
      String name,
      String health,
      List<String> addresses,
      String since,
      String reason,
      Override override) {
    public Line {
      addresses = List.copyOf(addresses);
    }
  }

  /** An applied record set. */
  public record Record(
      String name,
      String type,
      String zone,
      long ttl,
      List<String> addresses,
      long epoch,
      String appliedAt,
      long ageSeconds) {
    public Record {
      addresses = List.copyOf(addresses);
    }
  }
}
