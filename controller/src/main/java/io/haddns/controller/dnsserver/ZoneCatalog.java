package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import java.net.InetAddress;
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
 * publishes new snapshots for zones whose data, name servers or serial changed; lookups read the
 * last published map without locking.
 *
 * <p>Serials come from the source (the replicated state), so every node serves the same serial for
 * the same data; a snapshot's serial never goes back (RFC 1982 comparison) even if the source
 * briefly reports an older one.
 */
final class ZoneCatalog {
  private static final Logger log = LoggerFactory.getLogger(ZoneCatalog.class);

  private final List<ServedZone> zones;
  private final SoaTimers timers;
  private final ZoneSource source;
  private volatile Map<Name, ZoneSnapshot> snapshots = Map.of();

  ZoneCatalog(List<ServedZone> zones, SoaTimers timers, ZoneSource source) {
    this.zones = List.copyOf(zones);
    this.timers = timers;
    this.source = source;
  }

  /** Re-reads every zone from the source. Safe to call from any thread; calls are serialized. */
  synchronized void refresh() {
    Map<Name, ZoneSnapshot> next = new HashMap<>();
    List<List<InetAddress>> nodes = null;
    for (ServedZone configured : zones) {
      ServedZone zone = configured;
      if (configured.followsMembers()) {
        nodes = nodes != null ? nodes : source.nameServerAddresses();
        zone = ServedZone.withNodes(configured.name(), nodes);
      }
      ZoneSnapshot previous = snapshot(zone.name()).orElse(null);
      Map<RecordKey, RecordSet> content = Map.copyOf(source.records(zone.name()));
      long serial = source.serial(zone.name()) & 0xFFFFFFFFL;
      if (previous != null && Serial.compare(serial, previous.serial()) < 0) {
        serial = previous.serial();
      }
      ZoneSnapshot current;
      if (previous != null
          && previous.serial() == serial
          && previous.content().equals(content)
          && previous.nameservers().equals(zone.nameservers())) {
        current = previous;
      } else {
        current = ZoneSnapshot.of(zone, content, serial, timers);
        log.debug(
            "dns zone={} serial={} rrsets={} nameservers={} ignored={}",
            zone.name(),
            serial,
            content.size(),
            zone.nameservers().size(),
            current.skipped());
      }
      next.put(current.apex(), current);
    }
    Map<Name, ZoneSnapshot> published = snapshots;
    if (!sameSnapshots(published, next)) {
      snapshots = Map.copyOf(next);
    }
  }

  /**
   * What the served data is now: a new object exactly when some zone's snapshot changed, so that
   * anything derived from the answers (the responder's {@link AnswerCache}) may be kept while it is
   * the same.
   */
  Object generation() {
    return snapshots;
  }

  private static boolean sameSnapshots(Map<Name, ZoneSnapshot> a, Map<Name, ZoneSnapshot> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<Name, ZoneSnapshot> e : b.entrySet()) {
      if (a.get(e.getKey()) != e.getValue()) {
        return false;
      }
    }
    return true;
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
