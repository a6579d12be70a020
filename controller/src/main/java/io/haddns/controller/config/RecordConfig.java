package io.haddns.controller.config;

import io.haddns.controller.dns.RecordKey;
import java.util.List;
import java.util.Objects;

/**
 * A managed RRset and how its addresses are chosen from its lines.
 *
 * @param zone the canonical name of the configured zone that contains this record
 * @param lines line names in failover order
 * @param adopt take over an RRset of this name and type that exists at the provider but was not
 *     written by haddns; without it such an RRset is left alone and reported
 */
public record RecordConfig(
    RecordKey key, long ttl, Policy policy, List<String> lines, String zone, boolean adopt) {
  public static final long DEFAULT_TTL = 60;

  public RecordConfig {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(policy, "policy");
    lines = List.copyOf(lines);
    Objects.requireNonNull(zone, "zone");
  }

  /** A record that does not adopt foreign RRsets. */
  public RecordConfig(RecordKey key, long ttl, Policy policy, List<String> lines, String zone) {
    this(key, ttl, policy, lines, zone, false);
  }
}
