package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One served zone's data at one serial, as dnsjava records ready to answer with: the SOA and NS at
 * the apex, the name servers' in-zone addresses, and the A/AAAA record sets from the {@link
 * ZoneSource}, wildcard owners ({@code *.w.example.com}) included as they are: {@link ZoneLookup}
 * synthesizes from them. Immutable; built off the query path whenever the source changes.
 */
final class ZoneSnapshot {
  private final Name apex;
  private final long serial;
  private final Map<RecordKey, RecordSet> content;
  private final List<NameServer> nameservers;
  private final Map<Name, TreeMap<Integer, List<Record>>> rrsets = new HashMap<>();
  private final Set<Name> names = new HashSet<>();
  private final List<Record> glue = new ArrayList<>();
  private final SOARecord negativeSoa;
  private final int skipped;

  private ZoneSnapshot(
      ServedZone zone, Map<RecordKey, RecordSet> content, long serial, SoaTimers timers)
      throws TextParseException {
    this.apex = absolute(zone.name());
    this.serial = serial;
    this.content = Map.copyOf(content);
    this.nameservers = zone.nameservers();
    Name mname = absolute(zone.nameservers().get(0).name());
    Name rname = absolute("hostmaster." + zone.name());
    add(
        new SOARecord(
            apex,
            DClass.IN,
            timers.ttl(),
            mname,
            rname,
            serial,
            timers.refresh(),
            timers.retry(),
            timers.expire(),
            timers.minimum()));
    negativeSoa =
        new SOARecord(
            apex,
            DClass.IN,
            timers.negativeTtl(),
            mname,
            rname,
            serial,
            timers.refresh(),
            timers.retry(),
            timers.expire(),
            timers.minimum());
    int bad = 0;
    for (RecordSet rs : content.values()) {
      bad += addRecordSet(zone.name(), rs) ? 0 : 1;
    }
    for (NameServer ns : zone.nameservers()) {
      Name nsName = absolute(ns.name());
      add(new NSRecord(apex, DClass.IN, timers.ttl(), nsName));
      if (DnsNames.isInZone(ns.name(), zone.name())) {
        addServerAddresses(nsName, ns.addresses(), timers.ttl());
        glue.addAll(rrset(nsName, Type.A));
        glue.addAll(rrset(nsName, Type.AAAA));
      }
    }
    this.skipped = bad;
  }

  /**
   * Builds the zone's data.
   *
   * @throws IllegalArgumentException when the zone or a name server has a name that is not a valid
   *     DNS name (record sets with such names are skipped instead, and counted in {@link
   *     #skipped()})
   */
  static ZoneSnapshot of(
      ServedZone zone, Map<RecordKey, RecordSet> content, long serial, SoaTimers timers) {
    try {
      return new ZoneSnapshot(zone, content, serial, timers);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone " + zone.name() + ": " + e.getMessage(), e);
    }
  }

  static Name absolute(String canonical) throws TextParseException {
    return Name.fromString(canonical, Name.root);
  }

  private boolean addRecordSet(String zone, RecordSet rs) {
    if (rs.isEmpty() || !DnsNames.isInZone(rs.key().name(), zone)) {
      return false;
    }
    Name owner;
    try {
      owner = absolute(rs.key().name());
    } catch (TextParseException e) {
      return false;
    }
    for (InetAddress a : rs.addresses()) {
      add(address(owner, rs.ttl(), a));
    }
    return true;
  }

  // Applied data wins over the configured name-server addresses for the same name and type.
  private void addServerAddresses(Name owner, List<InetAddress> addresses, long ttl) {
    boolean hasA = !rrset(owner, Type.A).isEmpty();
    boolean hasAaaa = !rrset(owner, Type.AAAA).isEmpty();
    for (InetAddress a : addresses) {
      Record r = address(owner, ttl, a);
      if (r.getType() == Type.A ? !hasA : !hasAaaa) {
        add(r);
      }
    }
  }

  private static Record address(Name owner, long ttl, InetAddress a) {
    return a.getAddress().length == 4
        ? new ARecord(owner, DClass.IN, ttl, a)
        : new AAAARecord(owner, DClass.IN, ttl, a);
  }

  private void add(Record r) {
    List<Record> set =
        rrsets
            .computeIfAbsent(r.getName(), n -> new TreeMap<>())
            .computeIfAbsent(r.getType(), t -> new ArrayList<>());
    if (!set.contains(r)) {
      set.add(r);
    }
    // Every ancestor up to the apex exists too: an empty non-terminal (RFC 8020, RFC 2308 §2.2).
    for (Name n = r.getName(); n.subdomain(apex); n = new Name(n, 1)) {
      if (!names.add(n) || n.equals(apex)) {
        break;
      }
    }
  }

  Name apex() {
    return apex;
  }

  long serial() {
    return serial;
  }

  /** The record sets this snapshot was built from, to detect changes. */
  Map<RecordKey, RecordSet> content() {
    return content;
  }

  /** The name servers of the apex NS RRset this snapshot was built with. */
  List<NameServer> nameservers() {
    return nameservers;
  }

  /** Whether {@code name} owns records or has names with records below it. */
  boolean exists(Name name) {
    return names.contains(name);
  }

  /** The RRset at {@code name} of {@code type}, empty when there is none. */
  List<Record> rrset(Name name, int type) {
    return rrsets.getOrDefault(name, new TreeMap<>()).getOrDefault(type, List.of());
  }

  /**
   * The RRset of the lowest type number at {@code name} (A before NS, SOA and AAAA), empty when the
   * name owns none: the single RRset an ANY query gets (RFC 8482 §4.1).
   */
  List<Record> firstRrset(Name name) {
    TreeMap<Integer, List<Record>> byType = rrsets.get(name);
    return byType == null || byType.isEmpty() ? List.of() : byType.firstEntry().getValue();
  }

  /** A and AAAA records of the in-zone name servers, for the additional section of NS answers. */
  List<Record> glue() {
    return glue;
  }

  /** The SOA for the authority section of negative answers, TTL per RFC 2308 §3. */
  SOARecord negativeSoa() {
    return negativeSoa;
  }

  /** Record sets of the source that were ignored: empty, outside the zone, or badly named. */
  int skipped() {
    return skipped;
  }
}
