package io.haddns.controller.reconcile;

import io.haddns.controller.dns.RecordKey;
import java.util.List;
import java.util.Objects;

/**
 * What the leader knows about one zone beyond its applied records.
 *
 * @param dryRun the zone is planned but never written
 * @param planned in a dry run, the changes the last reconcile would have written (described)
 * @param foreign configured records that exist at the provider but were not written by haddns: left
 *     alone until {@code adopt: true} is set for them
 */
public record ZoneReport(
    String zone, boolean dryRun, List<String> planned, List<RecordKey> foreign) {
  public ZoneReport {
    Objects.requireNonNull(zone, "zone");
    planned = List.copyOf(planned);
    foreign = List.copyOf(foreign);
  }
}
