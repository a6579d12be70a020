package io.haddns.controller.config;

import io.haddns.controller.dns.RecordKey;
import java.util.List;
import java.util.Objects;

/**
 * A managed RRset and how its addresses are chosen from its lines.
 *
 * @param zone the canonical name of the configured zone that contains this record
 * @param lines line names in failover order
 */
public record RecordConfig(
    RecordKey key, long ttl, Policy policy, List<String> lines, String zone) {
  public static final long DEFAULT_TTL = 60;

  public RecordConfig {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(policy, "policy");
    lines = List.copyOf(lines);
    Objects.requireNonNull(zone, "zone");
  }
}
