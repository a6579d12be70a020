package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.RecordType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** The zones most dnsserver tests answer from, and query helpers. */
final class TestZones {
  static final List<ServedZone> ZONES =
      List.of(
          ServedZone.withNodes(
              "example.com",
              List.of(
                  List.of(MutableZoneSource.address("192.0.2.53")),
                  List.of(
                      MutableZoneSource.address("198.51.100.53"),
                      MutableZoneSource.address("2001:db8::53")))),
          new ServedZone("sub.example.org", List.of(new NameServer("ns.example.net", List.of()))));

  final MutableZoneSource source = new MutableZoneSource();
  final ZoneCatalog catalog;
  final DnsResponder responder;

  /** {@code zones} served from an empty source. */
  TestZones(List<ServedZone> zones) {
    catalog = new ZoneCatalog(zones, SoaTimers.DEFAULTS, source);
    responder = new DnsResponder(catalog, 1232);
    source.subscribe(catalog::refresh);
    catalog.refresh();
  }

  TestZones() {
    this(ZONES);
    source
        .set("example.com", "www.example.com", RecordType.A, 60, "192.0.2.10", "192.0.2.11")
        .set("example.com", "www.example.com", RecordType.AAAA, 60, "2001:db8::10")
        .set("example.com", "v4only.example.com", RecordType.A, 30, "203.0.113.7")
        .set("example.com", "example.com", RecordType.A, 300, "192.0.2.1")
        .set("example.com", "host.deep.below.example.com", RecordType.A, 60, "192.0.2.99")
        .set("sub.example.org", "a.sub.example.org", RecordType.A, 60, "198.51.100.1");
  }

  /** {@code count} A records at {@code name} in example.com (192.0.2.0/24, 198.51.100.0/24). */
  TestZones withLargeRrset(String name, int count) {
    List<String> addrs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      addrs.add((i < 250 ? "192.0.2." : "198.51.100.") + (i % 250 + 1));
    }
    source.set("example.com", name, RecordType.A, 60, addrs.toArray(String[]::new));
    return this;
  }

  static Message query(String name, int type) {
    return query(name, type, DClass.IN);
  }

  static Message query(String name, int type, int dclass) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, dclass));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Message withEdns(Message query, int payload) {
    query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
    return query;
  }

  /** Sends {@code query} through the wire-level responder and parses the reply. */
  Message ask(Message query, Transport transport) {
    byte[] wire =
        responder
            .respond(query.toWire(), transport)
            .orElseThrow(() -> new AssertionError("no reply"))
            .wire();
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new AssertionError("reply does not parse", e);
    }
  }

  Message ask(Message query) {
    return ask(query, Transport.UDP);
  }
}
