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
   * A zone as the reporting node last reconciled it (only the leader reconciles).
   *
   * @param planned in a dry run, the changes that would be written
   * @param foreign configured records held at the provider but not written by haddns, left alone
   */
  public record Zone(String name, boolean dryRun, List<String> planned, List<String> foreign) {
    public Zone {
      planned = List.copyOf(planned);
      foreign = List.copyOf(foreign);
    }
  }

  /** A live node. */
  public record Member(String node, String http, String version, String startedAt) {}

  /** A line's decided health. */
  public record Line(
      String name, String health, List<String> addresses, String since, String reason) {
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
