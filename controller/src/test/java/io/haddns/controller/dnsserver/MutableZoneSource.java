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
  private final Map<String, Long> serials = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile List<List<InetAddress>> nodes = List.of();

  @Override
  public Map<RecordKey, RecordSet> records(String zone) {
    return Map.copyOf(zones.getOrDefault(zone, Map.of()));
  }

  /** Starts at 1 and advances by one with every {@link #set}, like the replicated serial. */
  @Override
  public long serial(String zone) {
    return serials.getOrDefault(DnsNames.canonical(zone), 1L);
  }

  @Override
  public List<List<InetAddress>> nameServerAddresses() {
    return nodes;
  }

  /** Reports {@code serial} for {@code zone} from now on. */
  MutableZoneSource serial(String zone, long serial) {
    serials.put(DnsNames.canonical(zone), serial);
    listeners.forEach(Runnable::run);
    return this;
  }

  /** Sets the live nodes' DNS addresses (IP literals, one array per node). */
  MutableZoneSource nodes(String[]... perNode) {
    List<List<InetAddress>> out = new ArrayList<>();
    for (String[] node : perNode) {
      out.add(java.util.Arrays.stream(node).map(MutableZoneSource::address).toList());
    }
    nodes = List.copyOf(out);
    listeners.forEach(Runnable::run);
    return this;
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
    serials.merge(DnsNames.canonical(zone), 2L, (old, x) -> old + 1);
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
