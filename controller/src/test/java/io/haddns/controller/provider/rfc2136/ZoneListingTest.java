package io.haddns.controller.provider.rfc2136;

import static io.haddns.controller.provider.rfc2136.TestRecords.a;
import static io.haddns.controller.provider.rfc2136.TestRecords.aaaa;
import static io.haddns.controller.provider.rfc2136.TestRecords.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

class ZoneListingTest {
  private static final Name ZONE = Name.fromConstantString("example.com.");
  private final Fence fence = new Fence("example.com", ZONE);
  private final ZoneListing listing = new ZoneListing(fence);

  @Test
  void groupsAddressRecordsIntoCanonicalRRsetsAndSkipsEverythingElse() {
    SOARecord soa =
        new SOARecord(ZONE, DClass.IN, 300, n("localhost."), n("h.example.com."), 7, 1, 1, 1, 1);
    List<org.xbill.DNS.Record> axfr =
        List.of(
            soa,
            new NSRecord(ZONE, DClass.IN, 300, n("localhost.")),
            fence.record(12),
            new TXTRecord(n("note.example.com."), DClass.IN, 60, "hello"),
            new ARecord(n("App.Example.com."), DClass.IN, 30, ip("192.0.2.2")),
            new AAAARecord(n("app.example.com."), DClass.IN, 60, ip("2001:db8::1")),
            new ARecord(n("app.example.com."), DClass.IN, 30, ip("192.0.2.1")),
            soa);

    assertThat(listing.recordSets(axfr))
        .containsExactly(
            a("app.example.com", 30, "192.0.2.1", "192.0.2.2"),
            aaaa("app.example.com", 60, "2001:db8::1"));
  }

  @Test
  void leavesOutAddressRecordsAtTheFenceName() {
    var atFence = new ARecord(fence.name(), DClass.IN, 30, ip("192.0.2.1"));

    assertThat(listing.recordSets(List.of(fence.record(1), atFence))).isEmpty();
  }

  private static Name n(String s) {
    return Name.fromConstantString(s);
  }
}
