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
   * @param source where the line's addresses come from
   * @param probes the leader's latest probe results of the line's current addresses; null on a node
   *     that does not lead (only the leader probes: ask it)
   * @param history the line's latest health changes, oldest first (at most {@value
   *     #HISTORY_LIMIT}), as this node saw them in the replicated health since it started
   */
  public record Line(
      String name,
      String health,
      List<String> addresses,
      String since,
      String reason,
      Override override,
      Source source,
      List<Probe> probes,
      List<HealthChange> history) {
    public Line {
      addresses = List.copyOf(addresses);
      probes = probes == null ? null : List.copyOf(probes);
      history = List.copyOf(history);
    }
  }

  /** How many health changes a line's {@code history} holds at most. */
  public static final int HISTORY_LIMIT = 24;

  /**
   * Where a line's addresses come from.
   *
   * @param kind {@code static} (the configuration), {@code agent}, {@code dyndns2} or {@code token}
   *     (an operator token's {@code POST /api/v1/update})
   * @param reporter who set the current addresses (empty for a static line or before a report)
   * @param reportedAt when the report that set the current addresses was committed (RFC 3339, the
   *     receiving node's clock; null without a report); later reports that only confirm the same
   *     addresses do not move it
   * @param reportAgeSeconds seconds since then (null without a report)
   * @param receivedBy the node that committed the report (null without a report)
   */
  public record Source(
      String kind, String reporter, String reportedAt, Long reportAgeSeconds, String receivedBy) {}

  /**
   * One probe's latest outcome at the leader.
   *
   * @param kind the probe, e.g. {@code tcp/443} or {@code icmp}
   * @param target the probed address
   * @param result {@code ok}, {@code failed} or {@code inconclusive} (the prober could not probe)
   * @param detail why it failed, or empty
   * @param latencyMs round trip of a success, time until the failure was known otherwise
   * @param at when it finished (RFC 3339)
   */
  public record Probe(
      String kind, String target, String result, String detail, double latencyMs, String at) {}

  /**
   * A health change of a line, as recorded in the replicated health.
   *
   * @param since when the line's health became {@code health} (RFC 3339)
   * @param epoch the leader term that decided it
   */
  public record HealthChange(String health, String since, String reason, long epoch) {}

  /**
   * What one authoritative server answered the verify step for a record after the leader's last
   * apply of it.
   *
   * @param server {@code address:port} of the server asked
   * @param answer the addresses it answered (empty for no such name or no answer)
   * @param matches whether that was the applied answer
   * @param error why there was no answer (timeout, refused, …), or empty
   * @param at when it answered (RFC 3339)
   */
  public record ServerAnswer(
      String server, List<String> answer, boolean matches, String error, String at) {
    public ServerAnswer {
      answer = List.copyOf(answer);
    }
  }

  /**
   * An applied record set.
   *
   * @param verify what each authoritative server answered the leader's verify step for this record
   *     (empty until verified, and for zones not verified: embedded zones, dry runs); null on a
   *     node that does not lead (only the leader verifies: ask it)
   */
  public record Record(
      String name,
      String type,
      String zone,
      long ttl,
      List<String> addresses,
      long epoch,
      String appliedAt,
      long ageSeconds,
      List<ServerAnswer> verify) {
    public Record {
      addresses = List.copyOf(addresses);
      verify = verify == null ? null : List.copyOf(verify);
    }
  }
}
