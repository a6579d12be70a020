package io.haddns.controller.provider.powerdns;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import java.util.List;
import java.util.Set;

/**
 * The A and AAAA RRsets of a zone as the API returned them.
 *
 * @param recordSets RRsets with at least one enabled record (disabled records are not served)
 * @param present keys of every A/AAAA RRset the zone holds, including ones with only disabled
 *     records
 * @param owned keys whose RRset carries haddns' comment mark
 */
record ZoneContent(List<RecordSet> recordSets, Set<RecordKey> present, Set<RecordKey> owned) {
  ZoneContent {
    recordSets = List.copyOf(recordSets);
    present = Set.copyOf(present);
    owned = Set.copyOf(owned);
  }

  /** Keys that exist at the server without haddns' mark. */
  boolean isForeign(RecordKey key) {
    return present.contains(key) && !owned.contains(key);
  }
}
