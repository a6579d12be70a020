package io.haddns.controller.dnsserver;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Finds the answer to one question inside one zone: RFC 1034 §4.3.2 step 3 without delegations or
 * aliases (haddns zones have none), with wildcards per RFC 4592.
 *
 * <p>A name that exists (owns records, or is an empty non-terminal with names below it) is answered
 * from its own data, a wildcard owner queried literally included. Only a name that does not exist
 * is synthesized: from {@code *.<closest encloser>}, the closest encloser being its nearest
 * existing ancestor (§3.3.1). So nothing is synthesized below an existing name or empty
 * non-terminal unless that name itself has a {@code *} child, and a name below a wildcard owner
 * ({@code a.*.w}) does not match it. The synthesized RRset takes the query name, lowercased, as
 * owner; an existing wildcard without the asked type is NODATA (§4.1).
 */
final class ZoneLookup {
  private static final Name WILDCARD = Name.fromConstantString("*");

  /** What the zone says about a name and type. */
  sealed interface Result {}

  /** The RRset to put in the answer section. */
  record Answer(List<Record> rrset) implements Result {}

  /** The name exists (itself, or by wildcard) but has no data of the type: RFC 2308 §2.2. */
  record NoData() implements Result {}

  /** Neither the name nor a wildcard covering it exists: RFC 2308 §2.1. */
  record NxDomain() implements Result {}

  private ZoneLookup() {}

  /** {@code qname} must lie in {@code zone}; ANY gets a single RRset (RFC 8482 §4.1). */
  static Result find(ZoneSnapshot zone, Name qname, int type) {
    if (zone.exists(qname)) {
      return answer(data(zone, qname, type));
    }
    Name source = sourceOfSynthesis(zone, qname);
    if (source == null) {
      return new NxDomain();
    }
    Name owner = qname.canonicalize();
    return answer(data(zone, source, type).stream().map(r -> r.withName(owner)).toList());
  }

  /** {@code *.<closest encloser>} of a name that does not exist, or null when there is none. */
  private static Name sourceOfSynthesis(ZoneSnapshot zone, Name qname) {
    for (int strip = 1; strip < qname.labels(); strip++) {
      Name encloser = new Name(qname, strip);
      if (zone.exists(encloser)) {
        try {
          Name source = Name.concatenate(WILDCARD, encloser);
          return zone.exists(source) ? source : null;
        } catch (NameTooLongException e) {
          // A 255-octet encloser has no room for a '*' child: nothing can match it.
          return null;
        }
      }
    }
    return null;
  }

  private static List<Record> data(ZoneSnapshot zone, Name name, int type) {
    return type == Type.ANY ? zone.firstRrset(name) : zone.rrset(name, type);
  }

  private static Result answer(List<Record> rrset) {
    return rrset.isEmpty() ? new NoData() : new Answer(rrset);
  }
}
