package io.haddns.controller.dnsserver;

import static io.haddns.controller.dnsserver.TestZones.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A zone configured with no records at all: only its apex SOA and NS exist. */
class EmptyZoneTest {
  private final TestZones zones =
      new TestZones(
          List.of(
              ServedZone.withNodes(
                  "empty.example", List.of(List.of(MutableZoneSource.address("192.0.2.53"))))));

  @Test
  void answersSoaAndNsWithGlueAtTheApex() {
    Message soa = zones.ask(query("empty.example", Type.SOA));
    Message ns = zones.ask(query("empty.example", Type.NS));

    assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(soa.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(soa.getSection(Section.ANSWER)).singleElement().isInstanceOf(SOARecord.class);
    assertThat(ns.getSection(Section.ANSWER))
        .singleElement()
        .satisfies(
            r -> assertThat(((NSRecord) r).getTarget().toString()).isEqualTo("ns1.empty.example."));
    assertThat(ns.getSection(Section.ADDITIONAL))
        .anySatisfy(r -> assertThat(r.rdataToString()).isEqualTo("192.0.2.53"));
  }

  @Test
  void answersNodataForOtherTypesAtTheApex() {
    for (int type : new int[] {Type.A, Type.AAAA, Type.MX}) {
      Message m = zones.ask(query("empty.example", type));

      assertThat(m.getRcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(m.getSection(Section.ANSWER)).isEmpty();
      assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }
  }

  @Test
  void answersNxdomainBelowTheApexExceptForTheNameServersOwnName() {
    Message below = zones.ask(query("www.empty.example", Type.A));
    Message deeper = zones.ask(query("a.b.empty.example", Type.AAAA));
    Message glue = zones.ask(query("ns1.empty.example", Type.A));

    assertThat(below.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(below.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(below.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    assertThat(deeper.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(glue.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(glue.getSection(Section.ANSWER)).hasSize(1);
  }
}
