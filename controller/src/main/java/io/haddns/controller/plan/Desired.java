package io.haddns.controller.plan;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import java.util.List;
import java.util.Objects;

/** What one managed record should hold, and why. */
public sealed interface Desired {

  RecordKey key();

  /** Point the record at these addresses, taken from {@code lines}. */
  record Point(RecordSet record, List<String> lines) implements Desired {
    public Point {
      Objects.requireNonNull(record, "record");
      lines = List.copyOf(lines);
    }

    @Override
    public RecordKey key() {
      return record.key();
    }
  }

  /**
   * No configured line is usable: leave the record as it is (fail-static). A record is never
   * emptied because every line is down or probing itself is broken.
   */
  record Keep(RecordKey key, String reason) implements Desired {
    public Keep {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
