package io.haddns.controller.dnsserver;

import static io.haddns.controller.dnsserver.TestZones.query;
import static io.haddns.controller.dnsserver.TestZones.withEdns;
import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsResponderTest {
  private final TestZones zones = new TestZones();

  @ParameterizedTest(name = "{0} {1} -> {2} aa={3} answers={4} soaInAuthority={5}")
  @CsvSource({
    "www.example.com,          A,     NOERROR,  true,  2, false",
    "WWW.Example.COM,          A,     NOERROR,  true,  2, false",
    "www.example.com,          AAAA,  NOERROR,  true,  1, false",
    "v4only.example.com,       AAAA,  NOERROR,  true,  0, true",
    "v4only.example.com,       MX,    NOERROR,  true,  0, true",
    "v4only.example.com,       ANY,   NOERROR,  true,  1, false",
    "below.example.com,        ANY,   NOERROR,  true,  0, true",
    "example.com,              A,     NOERROR,  true,  1, false",
    "example.com,              SOA,   NOERROR,  true,  1, false",
    "example.com,              NS,    NOERROR,  true,  2, false",
    "example.com,              TXT,   NOERROR,  true,  0, true",
    "ns1.example.com,          A,     NOERROR,  true,  1, false",
    "ns2.example.com,          AAAA,  NOERROR,  true,  1, false",
    "ns1.example.com,          AAAA,  NOERROR,  true,  0, true",
    "deep.below.example.com,   A,     NOERROR,  true,  0, true",
    "below.example.com,        AAAA,  NOERROR,  true,  0, true",
    "missing.example.com,      A,     NXDOMAIN, true,  0, true",
    "x.www.example.com,        A,     NXDOMAIN, true,  0, true",
    "a.sub.example.org,        A,     NOERROR,  true,  1, false",
    "sub.example.org,          NS,    NOERROR,  true,  1, false",
    "example.org,              A,     REFUSED,  false, 0, false",
    "www.example.net,          A,     REFUSED,  false, 0, false",
    "com,                      SOA,   REFUSED,  false, 0, false",
    "example.com,              AXFR,  REFUSED,  false, 0, false",
    "example.com,              IXFR,  REFUSED,  false, 0, false",
    "example.com,              MAILB, NOTIMP,   false, 0, false",
  })
  void answersPerRfc1034And2308(
      String name, String type, String rcode, boolean aa, int answers, boolean soaInAuthority) {
    Message r = zones.ask(query(name, Type.value(type)));

    assertThat(Rcode.string(r.getRcode())).isEqualTo(rcode);
    assertThat(r.getHeader().getFlag(Flags.AA)).isEqualTo(aa);
    assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(r.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(r.getSection(Section.ANSWER)).hasSize(answers);
    assertThat(r.getSection(Section.AUTHORITY).stream().anyMatch(SOARecord.class::isInstance))
        .isEqualTo(soaInAuthority);
    assertThat(r.getQuestion().getName().toString()).isEqualToIgnoringCase(name + ".");
  }

  @Test
  void answersAddressesFromTheAppliedRecords() {
    Message r = zones.ask(query("www.example.com", Type.A));

    assertThat(r.getSection(Section.ANSWER))
        .map(rec -> ((ARecord) rec).getAddress().getHostAddress())
        .containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
    assertThat(r.getSection(Section.ANSWER)).allMatch(rec -> rec.getTTL() == 60);
  }

  @Test
  void soaNamesFirstNameServerAndHostmaster() {
    SOARecord soa = (SOARecord) zones.ask(query("example.com", Type.SOA)).getSection(1).get(0);

    assertThat(soa.getHost().toString()).isEqualTo("ns1.example.com.");
    assertThat(soa.getAdmin().toString()).isEqualTo("hostmaster.example.com.");
    assertThat(soa.getSerial()).isEqualTo(zones.source.serial("example.com"));
    assertThat(soa.getMinimum()).isEqualTo(SoaTimers.DEFAULTS.minimum());
    assertThat(soa.getRefresh()).isGreaterThan(soa.getRetry());
    assertThat(soa.getExpire()).isGreaterThan(soa.getRefresh());
  }

  @Test
  void negativeAnswersCarrySoaWithNegativeTtl() {
    Message r = zones.ask(query("missing.example.com", Type.A));

    Record soa = r.getSection(Section.AUTHORITY).get(0);
    assertThat(soa.getName().toString()).isEqualTo("example.com.");
    assertThat(soa.getTTL()).isEqualTo(60);
  }

  @Test
  void nsAnswerCarriesGlueForInZoneServers() {
    Message r = zones.ask(query("example.com", Type.NS));

    assertThat(r.getSection(Section.ANSWER))
        .map(rec -> ((NSRecord) rec).getTarget().toString())
        .containsExactlyInAnyOrder("ns1.example.com.", "ns2.example.com.");
    assertThat(r.getSection(Section.ADDITIONAL))
        .map(rec -> rec.getName() + " " + rec.rdataToString())
        .containsExactlyInAnyOrder(
            "ns1.example.com. 192.0.2.53",
            "ns2.example.com. 198.51.100.53",
            "ns2.example.com. 2001:db8:0:0:0:0:0:53");
  }

  @Test
  void outOfZoneNameServerGetsNoGlue() {
    Message r = zones.ask(query("sub.example.org", Type.NS));

    assertThat(r.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("ns.example.net.");
    assertThat(r.getSection(Section.ADDITIONAL)).isEmpty();
  }

  @Test
  void copiesIdAndRecursionDesiredButNeverOffersRecursion() {
    Message q = query("www.example.com", Type.A);
    q.getHeader().setID(4242);
    q.getHeader().setFlag(Flags.RD);

    Message r = zones.ask(q);

    assertThat(r.getHeader().getID()).isEqualTo(4242);
    assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(r.getHeader().getFlag(Flags.RA)).isFalse();
  }

  @Test
  void answersNotImplementedForOtherOpcodes() {
    for (int opcode : List.of(Opcode.NOTIFY, Opcode.UPDATE, Opcode.STATUS, Opcode.IQUERY)) {
      Message q = query("example.com", Type.SOA);
      q.getHeader().setOpcode(opcode);

      Message r = zones.ask(q);

      assertThat(r.getRcode()).as("opcode %d", opcode).isEqualTo(Rcode.NOTIMP);
      assertThat(r.getHeader().getOpcode()).isEqualTo(opcode);
    }
  }

  @Test
  void answersFormatErrorForNoOrSeveralQuestions() {
    Message none = new Message(7);
    Message two = query("www.example.com", Type.A);
    two.addRecord(query("v4only.example.com", Type.A).getQuestion(), Section.QUESTION);

    assertThat(zones.ask(none).getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(zones.ask(two).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void answersNotImplementedForOtherClasses() {
    assertThat(zones.ask(query("www.example.com", Type.A, DClass.CH)).getRcode())
        .isEqualTo(Rcode.NOTIMP);
    assertThat(zones.ask(query("www.example.com", Type.A, DClass.ANY)).getRcode())
        .isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void echoesEdnsWithOwnPayloadSize() {
    Message r = zones.ask(withEdns(query("www.example.com", Type.A), 4096));

    OPTRecord opt = r.getOPT();
    assertThat(opt).isNotNull();
    assertThat(opt.getPayloadSize()).isEqualTo(1232);
    assertThat(opt.getVersion()).isZero();
  }

  @Test
  void echoesTheDnssecOkBitOnlyWhenTheQuerySetIt() {
    Message withDo = query("www.example.com", Type.A);
    withDo.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

    assertThat(zones.ask(withDo).getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
    assertThat(zones.ask(withEdns(query("www.example.com", Type.A), 4096)).getOPT().getFlags())
        .isZero();
  }

  @Test
  void answersAnyWithTheSingleRrsetOfLowestType() {
    Message r = zones.ask(query("www.example.com", Type.ANY));

    assertThat(r.getSection(Section.ANSWER))
        .map(rec -> Type.string(rec.getType()))
        .containsExactly("A", "A");
    assertThat(zones.ask(query("ns2.example.com", Type.ANY)).getSection(Section.ANSWER))
        .map(rec -> Type.string(rec.getType()))
        .containsExactly("A");
  }

  @Test
  void negativeAnswerSoaKeepsTheApexAsStoredWhateverTheQueryCase() {
    for (String name : List.of("NoSuch.ExAmPle.CoM", "V4ONLY.Example.com")) {
      Message r = zones.ask(query(name, name.startsWith("V4") ? Type.AAAA : Type.A));

      assertThat(r.getQuestion().getName().toString()).isEqualTo(name + ".");
      assertThat(r.getSection(Section.AUTHORITY).get(0).getName().toString())
          .isEqualTo("example.com.");
    }
  }

  @Test
  void answerOwnerKeepsTheStoredCaseWhateverTheQueryCase() {
    Message r = zones.ask(query("WWW.Example.COM", Type.A));

    assertThat(r.getQuestion().getName().toString()).isEqualTo("WWW.Example.COM.");
    assertThat(r.getSection(Section.ANSWER))
        .map(rec -> rec.getName().toString())
        .containsOnly("www.example.com.");
  }

  @Test
  void answersWithoutEdnsWhenQueryHasNone() {
    assertThat(zones.ask(query("www.example.com", Type.A)).getOPT()).isNull();
  }

  @Test
  void answersBadVersionForEdnsVersionOne() {
    Message q = query("www.example.com", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);

    Message r = zones.ask(q);

    assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(r.getOPT().getVersion()).isZero();
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void truncatesLargeUdpAnswerAndSendsAllOverTcp() {
    zones.withLargeRrset("big.example.com", 100);
    Message q = withEdns(query("big.example.com", Type.A), 4096);

    Message udp = zones.ask(q, Transport.UDP);
    Message tcp = zones.ask(q, Transport.TCP);

    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udp.getSection(Section.ANSWER)).isEmpty();
    assertThat(udp.numBytes()).isLessThanOrEqualTo(1232);
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void honoursClientPayloadSizeBetween512AndLimit() {
    // 40 A records: about 700 bytes, more than 512 but less than 1232.
    zones.withLargeRrset("mid.example.com", 40);

    Message classic = zones.ask(query("mid.example.com", Type.A));
    Message small = zones.ask(withEdns(query("mid.example.com", Type.A), 600));
    Message edns = zones.ask(withEdns(query("mid.example.com", Type.A), 1232));

    assertThat(classic.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(small.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(edns.getSection(Section.ANSWER)).hasSize(40);
  }

  @Test
  void servesTheSourcesSerialWhichAdvancesWithEveryChange() {
    long first = zones.catalog.snapshot("example.com").orElseThrow().serial();

    zones.source.set("example.com", "www.example.com", RecordType.A, 60, "192.0.2.20");
    long second = zones.catalog.snapshot("example.com").orElseThrow().serial();
    zones.source.set("example.com", "new.example.com", RecordType.A, 60, "192.0.2.21");
    long third = zones.catalog.snapshot("example.com").orElseThrow().serial();

    assertThat(first).isEqualTo(zones.source.serial("example.com") - 2);
    assertThat(second).isEqualTo(first + 1);
    assertThat(third).isEqualTo(first + 2);
    assertThat(zones.ask(query("new.example.com", Type.A)).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void serialStaysWhenNothingChangedAndIsPerZone() {
    long org = zones.catalog.snapshot("sub.example.org").orElseThrow().serial();
    long com = zones.catalog.snapshot("example.com").orElseThrow().serial();
    zones.catalog.refresh();
    zones.source.set("sub.example.org", "b.sub.example.org", RecordType.A, 60, "198.51.100.2");

    assertThat(zones.catalog.snapshot("example.com").orElseThrow().serial()).isEqualTo(com);
    assertThat(zones.catalog.snapshot("sub.example.org").orElseThrow().serial()).isEqualTo(org + 1);
  }

  @Test
  void serialNeverGoesBackWhenTheSourceReportsAnOlderOne() {
    long served = zones.catalog.snapshot("example.com").orElseThrow().serial();
    zones.source.serial("example.com", served - 3);

    assertThat(zones.catalog.snapshot("example.com").orElseThrow().serial()).isEqualTo(served);
  }

  @Test
  void serialComparesByRfc1982AcrossTheWrap() {
    zones.source.serial("example.com", 0x80000000L);
    zones.source.serial("example.com", 0xFFFFFFF0L);
    zones.source.serial("example.com", 0x100000000L + 4);

    assertThat(zones.catalog.snapshot("example.com").orElseThrow().serial()).isEqualTo(4);
  }

  @Test
  void answersTheNewDataToTheSameQuestionOnceTheZoneChanged() {
    Message question = query("v4only.example.com", Type.A);
    assertThat(zones.ask(question).getRcode()).isEqualTo(Rcode.NOERROR);

    zones.source.set("example.com", "v4only.example.com", RecordType.A, 30, "192.0.2.77");
    Message moved = zones.ask(question);
    zones.source.set("example.com", "v4only.example.com", RecordType.A, 30);
    Message removed = zones.ask(question);

    assertThat(moved.getSection(Section.ANSWER))
        .map(Record::rdataToString)
        .containsExactly("192.0.2.77");
    assertThat(removed.getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void removedRecordBecomesNxdomain() {
    zones.source.set("example.com", "v4only.example.com", RecordType.A, 30);

    assertThat(zones.ask(query("v4only.example.com", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void appliedRecordAtNameServerNameWinsOverConfiguredAddress() {
    zones.source.set("example.com", "ns1.example.com", RecordType.A, 60, "192.0.2.254");

    Message r = zones.ask(query("ns1.example.com", Type.A));

    assertThat(r.getSection(Section.ANSWER))
        .map(Record::rdataToString)
        .containsExactly("192.0.2.254");
  }

  @Test
  void sendsNothingForResponses() {
    Message q = query("www.example.com", Type.A);
    q.getHeader().setFlag(Flags.QR);

    assertThat(zones.responder.respond(q.toWire(), Transport.UDP)).isEmpty();
  }

  @Test
  void answersFormatErrorWhenOnlyTheHeaderIsReadable() throws Exception {
    byte[] wire = query("www.example.com", Type.A).toWire();
    byte[] cut = java.util.Arrays.copyOf(wire, 16);
    int id = ((cut[0] & 0xff) << 8) | (cut[1] & 0xff);

    Message r = new Message(zones.responder.respond(cut, Transport.UDP).orElseThrow().wire());

    assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(r.getHeader().getID()).isEqualTo(id);
    assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
  }

  @Test
  void sendsNothingForPacketsShorterThanAHeader() {
    assertThat(zones.responder.respond(new byte[11], Transport.UDP)).isEmpty();
    assertThat(zones.responder.respond(new byte[0], Transport.TCP)).isEmpty();
  }
}
