package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ZoneSource} in memory for tests: set record sets, and listeners are told at once. */
final class MutableZoneSource implements ZoneSource {
  private final Map<String, Map<RecordKey, RecordSet>> zones = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  @Override
  public Map<RecordKey, RecordSet> records(String zone) {
    return Map.copyOf(zones.getOrDefault(zone, Map.of()));
  }

  @Override
  public void subscribe(Runnable onChange) {
    listeners.add(onChange);
  }

  /** Sets the RRset {@code name}/{@code type} in {@code zone} (no addresses: removes it). */
  MutableZoneSource set(String zone, String name, RecordType type, long ttl, String... addresses) {
    RecordKey key = new RecordKey(name, type);
    List<InetAddress> list = new ArrayList<>();
    for (String a : addresses) {
      list.add(address(a));
    }
    zones.compute(
        DnsNames.canonical(zone),
        (z, old) -> {
          Map<RecordKey, RecordSet> m = old == null ? new HashMap<>() : new HashMap<>(old);
          if (list.isEmpty()) {
            m.remove(key);
          } else {
            m.put(key, new RecordSet(key, ttl, list));
          }
          return m;
        });
    listeners.forEach(Runnable::run);
    return this;
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
