package io.haddns.controller.cli;

import io.haddns.controller.admin.ClusterStatus;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link ClusterStatus} as plain-text tables for {@code haddns ctl status}. */
final class StatusTable {

  String render(ClusterStatus s) {
    StringBuilder out = new StringBuilder();
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

    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of("LINE", "HEALTH", "ADDRESSES", "SINCE", "REASON"));
    for (ClusterStatus.Line l : s.lines()) {
      lines.add(
          List.of(l.name(), l.health(), String.join(",", l.addresses()), l.since(), l.reason()));
    }
    table(out, lines);

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
    return out.toString();
  }

  private static void table(StringBuilder out, List<List<String>> rows) {
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
