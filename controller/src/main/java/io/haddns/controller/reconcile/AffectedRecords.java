package io.haddns.controller.reconcile;

import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.plan.LineState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which of a zone's records a change of lines can affect: a record's desired content depends only
 * on its own lines' state (docs/architecture.md, "Components", plan), so after a plan that was
 * fully written only the records of lines whose state changed since need planning again. Immutable.
 */
final class AffectedRecords {
  private final List<RecordConfig> records;
  private final Map<String, int[]> byLine;

  AffectedRecords(List<RecordConfig> records) {
    this.records = List.copyOf(records);
    Map<String, List<Integer>> index = new HashMap<>();
    for (int i = 0; i < this.records.size(); i++) {
      for (String line : this.records.get(i).lines()) {
        List<Integer> of = index.computeIfAbsent(line, l -> new ArrayList<>());
        if (of.isEmpty() || of.getLast() != i) {
          of.add(i);
        }
      }
    }
    Map<String, int[]> byLine = new HashMap<>();
    index.forEach(
        (line, of) -> byLine.put(line, of.stream().mapToInt(Integer::intValue).toArray()));
    this.byLine = Map.copyOf(byLine);
  }

  /** Every record, in configuration order. */
  List<RecordConfig> all() {
    return records;
  }

  /**
   * The records on a line whose state differs between {@code before} and {@code now} (a line
   * missing from a map counts as unknown, as for the planner), each once, in configuration order.
   */
  List<RecordConfig> since(Map<String, LineState> before, Map<String, LineState> now) {
    boolean[] hit = null;
    int count = 0;
    for (var e : byLine.entrySet()) {
      String line = e.getKey();
      if (Objects.equals(before.get(line), now.get(line))) {
        continue;
      }
      if (hit == null) {
        hit = new boolean[records.size()];
      }
      for (int i : e.getValue()) {
        if (!hit[i]) {
          hit[i] = true;
          count++;
        }
      }
    }
    if (hit == null) {
      return List.of();
    }
    if (count == records.size()) {
      return records;
    }
    List<RecordConfig> out = new ArrayList<>(count);
    for (int i = 0; i < hit.length; i++) {
      if (hit[i]) {
        out.add(records.get(i));
      }
    }
    return out;
  }
}
