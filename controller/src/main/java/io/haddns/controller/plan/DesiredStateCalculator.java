package io.haddns.controller.plan;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordSet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the records' policies and the lines' health into the desired content of every managed
 * record. Pure: no I/O, no clock.
 */
public final class DesiredStateCalculator {

  /**
   * @param lines current state per line name; a line missing from the map counts as unknown
   */
  public List<Desired> desired(List<RecordConfig> records, Map<String, LineState> lines) {
    List<Desired> out = new ArrayList<>(records.size());
    for (RecordConfig record : records) {
      out.add(desired(record, lines));
    }
    return out;
  }

  public Desired desired(RecordConfig record, Map<String, LineState> lines) {
    List<String> chosen = new ArrayList<>();
    List<InetAddress> addresses = new ArrayList<>();
    for (String name : record.lines()) {
      LineState line = lines.get(name);
      if (line == null || !line.isUp()) {
        continue;
      }
      List<InetAddress> fitting =
          line.addresses().stream().filter(a -> record.key().type().accepts(a)).toList();
      if (fitting.isEmpty()) {
        continue;
      }
      chosen.add(name);
      addresses.addAll(fitting);
      if (record.policy() == Policy.FAILOVER) {
        break;
      }
    }
    if (chosen.isEmpty()) {
      return new Desired.Keep(record.key(), "no line of " + record.lines() + " is up");
    }
    return new Desired.Point(new RecordSet(record.key(), record.ttl(), addresses), chosen);
  }
}
