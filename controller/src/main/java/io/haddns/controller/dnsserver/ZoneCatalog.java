package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Serial;

/**
 * The served zones' current snapshots. {@link #refresh()} re-reads the {@link ZoneSource} and
 * publishes new snapshots for zones whose data changed, each with a higher SOA serial; lookups read
 * the last published map without locking.
 *
 * <p>Serials follow the clock (seconds since the epoch, so that nodes and restarts roughly agree)
 * and advance by at least one on every change (RFC 1982 arithmetic), so they never go back while a
 * node runs even if the clock does, or when several changes fall in one second.
 */
final class ZoneCatalog {
  private static final Logger log = LoggerFactory.getLogger(ZoneCatalog.class);

  private final List<ServedZone> zones;
  private final SoaTimers timers;
  private final ZoneSource source;
  private final InstantSource clock;
  private volatile Map<Name, ZoneSnapshot> snapshots = Map.of();

  ZoneCatalog(List<ServedZone> zones, SoaTimers timers, ZoneSource source, InstantSource clock) {
    this.zones = List.copyOf(zones);
    this.timers = timers;
    this.source = source;
    this.clock = clock;
  }

  /** Re-reads every zone from the source. Safe to call from any thread; calls are serialized. */
  synchronized void refresh() {
    Map<Name, ZoneSnapshot> next = new HashMap<>();
    for (ServedZone zone : zones) {
      ZoneSnapshot previous = snapshot(zone.name()).orElse(null);
      Map<RecordKey, RecordSet> content = Map.copyOf(source.records(zone.name()));
      ZoneSnapshot current;
      if (previous != null && previous.content().equals(content)) {
        current = previous;
      } else {
        long serial = nextSerial(previous);
        current = ZoneSnapshot.of(zone, content, serial, timers);
        log.debug(
            "dns zone={} serial={} rrsets={} ignored={}",
            zone.name(),
            serial,
            content.size(),
            current.skipped());
      }
      next.put(current.apex(), current);
    }
    snapshots = Map.copyOf(next);
  }

  private long nextSerial(ZoneSnapshot previous) {
    long now = clock.instant().getEpochSecond() & 0xFFFFFFFFL;
    if (previous == null) {
      return now;
    }
    return Serial.compare(now, previous.serial()) > 0 ? now : Serial.increment(previous.serial());
  }

  /** The zone that {@code name} belongs to: the served zone with the longest matching suffix. */
  Optional<ZoneSnapshot> find(Name name) {
    Map<Name, ZoneSnapshot> current = snapshots;
    for (int strip = 0; strip < name.labels(); strip++) {
      ZoneSnapshot z = current.get(strip == 0 ? name : new Name(name, strip));
      if (z != null) {
        return Optional.of(z);
      }
    }
    return Optional.empty();
  }

  /** The snapshot of a served zone by canonical name, if loaded. */
  Optional<ZoneSnapshot> snapshot(String zone) {
    return snapshots.values().stream()
        .filter(z -> z.apex().toString(true).equalsIgnoreCase(zone))
        .findFirst();
  }
}
