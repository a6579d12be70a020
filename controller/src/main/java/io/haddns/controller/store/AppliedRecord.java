package io.haddns.controller.store;

import io.haddns.controller.dns.RecordSet;
import java.time.Instant;
import java.util.Objects;

/** An RRset as last applied to its zone's provider, by which term and when. */
public record AppliedRecord(RecordSet record, String zone, long epoch, Instant appliedAt) {
  public AppliedRecord {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(appliedAt, "appliedAt");
  }
}
