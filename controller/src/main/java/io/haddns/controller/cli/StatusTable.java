package io.haddns.controller.cli;

import io.haddns.controller.admin.ClusterStatus;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link ClusterStatus} as plain-text tables for {@code haddns ctl status}. */
final class StatusTable {

  /** Everything: the header, members, lines, overrides, records, zones. */
  String render(ClusterStatus s) {
    StringBuilder out = new StringBuilder();
    header(out, s);
    members(out, s);
    lines(out, s);
    records(out, s);
    zones(out, s);
    return out.toString();
  }

  /** For {@code ctl lines}: each line's health and the operators' overrides. */
  String renderLines(ClusterStatus s) {
    StringBuilder out = new StringBuilder();
    header(out, s);
    lines(out, s);
    return out.toString();
  }

  /** For {@code ctl records}: the applied record sets and the zones' state. */
  String renderRecords(ClusterStatus s) {
    StringBuilder out = new StringBuilder();
    header(out, s);
    records(out, s);
    zones(out, s);
    return out.toString();
  }

  private static void header(StringBuilder out, ClusterStatus s) {
    out.append("cluster ")
        .append(s.cluster())
        .append("  leader ")
        .append(s.leader().isEmpty() ? "(none)" : s.leader())
        .append("  epoch ")
        .append(s.epoch())
        .append("  answered-by ")
        .append(s.node())
        .append(s.zookeeperConnected() ? "" : "  (ZooKeeper NOT connected: view may be stale)")
        .append("\n\n");
  }

  private static void members(StringBuilder out, ClusterStatus s) {
    List<List<String>> members = new ArrayList<>();
    members.add(List.of("MEMBER", "ROLE", "HTTP", "VERSION", "STARTED"));
    for (ClusterStatus.Member m : s.members()) {
      members.add(
          List.of(
              m.node(),
              m.node().equals(s.leader()) ? "leader" : "follower",
              m.http(),
              m.version(),
              m.startedAt()));
    }
    table(out, members);
  }

  /** The lines, then (when any) the overrides operators set: state, who, until, why. */
  private static void lines(StringBuilder out, ClusterStatus s) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of("LINE", "HEALTH", "ADDRESSES", "SINCE", "REASON"));
    List<List<String>> overrides = new ArrayList<>();
    overrides.add(List.of("OVERRIDDEN LINE", "STATE", "BY", "SINCE", "UNTIL", "REASON"));
    for (ClusterStatus.Line l : s.lines()) {
      lines.add(
          List.of(l.name(), l.health(), String.join(",", l.addresses()), l.since(), l.reason()));
      ClusterStatus.Override o = l.override();
      if (o != null) {
        overrides.add(
            List.of(
                l.name(),
                o.state(),
                o.by(),
                o.at(),
                o.until() == null ? "cleared" : o.until(),
                o.reason()));
      }
    }
    table(out, lines);
    if (overrides.size() > 1) {
      table(out, overrides);
    }
  }

  private static void records(StringBuilder out, ClusterStatus s) {
    List<List<String>> records = new ArrayList<>();
    records.add(List.of("RECORD", "TYPE", "TTL", "ADDRESSES", "EPOCH", "AGE"));
    for (ClusterStatus.Record r : s.records()) {
      records.add(
          List.of(
              r.name(),
              r.type(),
              Long.toString(r.ttl()),
              String.join(",", r.addresses()),
              Long.toString(r.epoch()),
              r.ageSeconds() + "s"));
    }
    table(out, records);
  }

  /** Paused zones as a table (when any), then dry runs and foreign records. */
  private static void zones(StringBuilder out, ClusterStatus s) {
    List<List<String>> paused = new ArrayList<>();
    paused.add(List.of("PAUSED ZONE", "BY", "SINCE", "REASON"));
    for (ClusterStatus.Zone z : s.zones()) {
      if (z.pause() != null) {
        paused.add(List.of(z.name(), z.pause().by(), z.pause().since(), z.pause().reason()));
      }
    }
    if (paused.size() > 1) {
      table(out, paused);
    }
    for (ClusterStatus.Zone z : s.zones()) {
      if (z.dryRun()) {
        out.append("zone ")
            .append(z.name())
            .append(": DRY RUN, nothing is written; planned changes: ")
            .append(z.planned().isEmpty() ? "none" : String.join("; ", z.planned()))
            .append('\n');
      }
      if (!z.foreign().isEmpty()) {
        out.append("zone ")
            .append(z.name())
            .append(": left alone, not written by haddns (set adopt: true to take over): ")
            .append(String.join(", ", z.foreign()))
            .append('\n');
      }
    }
  }

  static void table(StringBuilder out, List<List<String>> rows) {
    int cols = rows.get(0).size();
    int[] width = new int[cols];
    for (List<String> row : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(row.get(i));
        if (i < cols - 1) {
          line.append(" ".repeat(width[i] - row.get(i).length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    if (rows.size() == 1) {
      out.append("(none)\n");
    }
    out.append('\n');
  }
}
