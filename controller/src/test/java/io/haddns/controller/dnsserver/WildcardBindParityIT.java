package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordType;
import io.haddns.controller.testing.BindServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The embedded server and a real BIND serving the same zone, wildcards included (RFC 4592), give
 * the same rcode, answer section (owner with its letter case, type, rdata), negative-answer SOA and
 * DO bit for every query of a table.
 */
class WildcardBindParityIT {
  private static final String ZONE = "example.com";
  private static final ServedZone SERVED =
      ServedZone.withNodes(ZONE, List.of(List.of(MutableZoneSource.address("192.0.2.53"))));

  @TempDir static Path dir;
  private static final MutableZoneSource source = new MutableZoneSource();
  private static EmbeddedDnsServer embedded;
  private static BindServer bind;

  @BeforeAll
  static void serveTheSameZoneTwice() throws IOException {
    source
        .set(ZONE, "www.example.com", RecordType.A, 300, "192.0.2.10")
        .set(ZONE, "*.w.example.com", RecordType.A, 300, "192.0.2.20", "192.0.2.21")
        .set(ZONE, "*.w.example.com", RecordType.AAAA, 300, "2001:db8::20")
        .set(ZONE, "sub.w.example.com", RecordType.A, 300, "192.0.2.30")
        .set(ZONE, "deep.ent.w.example.com", RecordType.A, 300, "192.0.2.40")
        .set(ZONE, "*.v6.example.com", RecordType.AAAA, 300, "2001:db8::60")
        .set(ZONE, "*.sub.w.example.com", RecordType.A, 300, "192.0.2.31");
    embedded =
        new EmbeddedDnsServer(
            new DnsServerSettings(
                "127.0.0.1", 0, List.of(SERVED), SoaTimers.DEFAULTS, 1232, Duration.ofSeconds(5)),
            source,
            (rcode, transport) -> {});
    embedded.start();
    Files.writeString(dir.resolve(ZONE + ".zone"), zoneFile(), StandardCharsets.UTF_8);
    bind = BindServer.start(dir, ZONE);
  }

  @AfterAll
  static void stop() {
    if (bind != null) {
      bind.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }

  /** The embedded server's own zone (SOA, NS, glue, records) as a master file for BIND. */
  private static String zoneFile() throws IOException {
    StringBuilder file = new StringBuilder("$TTL 300\n");
    List<Record> records = new ArrayList<>();
    records.addAll(ask(embedded.udpAddress(), ZONE, Type.SOA).getSection(Section.ANSWER));
    Message ns = ask(embedded.udpAddress(), ZONE, Type.NS);
    records.addAll(ns.getSection(Section.ANSWER));
    records.addAll(
        ns.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() != Type.OPT).toList());
    for (String name : List.of("www", "*.w", "sub.w", "deep.ent.w", "*.v6", "*.sub.w")) {
      for (int type : List.of(Type.A, Type.AAAA)) {
        records.addAll(
            ask(embedded.udpAddress(), name + "." + ZONE, type).getSection(Section.ANSWER));
      }
    }
    records.forEach(r -> file.append(r).append('\n'));
    return file.toString();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "x.w.example.com,           A",
    "X.W.Example.COM,           A",
    "x.w.example.com,           AAAA",
    "x.w.example.com,           TXT",
    "x.w.example.com,           MX",
    "a.b.c.w.example.com,       A",
    "a.b.c.w.example.com,       AAAA",
    "sub.w.example.com,         A",
    "sub.w.example.com,         AAAA",
    "a.sub.w.example.com,       A",
    "a.sub.w.example.com,       AAAA",
    "ent.w.example.com,         A",
    "a.ent.w.example.com,       A",
    "deep.ent.w.example.com,    A",
    "x.deep.ent.w.example.com,  A",
    "w.example.com,             A",
    "*.w.example.com,           A",
    "*.w.example.com,           AAAA",
    "*.w.example.com,           TXT",
    "a.*.w.example.com,         A",
    "*.example.com,             A",
    "x.v6.example.com,          A",
    "x.v6.example.com,          AAAA",
    "v6.example.com,            AAAA",
    "www.example.com,           A",
    "WWW.Example.com,           A",
    "www.example.com,           AAAA",
    "x.www.example.com,         A",
    "nosuch.example.com,        A",
    "NoSuch.ExAmPle.CoM,        A",
    "NoSuch.ExAmPle.CoM,        AAAA",
    "example.com,               SOA",
    "Example.COM,               NS",
    "example.com,               TXT",
    "ns1.example.com,           A",
  })
  void answersLikeBind(String name, String type) throws IOException {
    Answer ours = Answer.of(ask(embedded.udpAddress(), name, Type.value(type)));
    Answer bind =
        Answer.of(
            ask(
                new InetSocketAddress("127.0.0.1", WildcardBindParityIT.bind.port()),
                name,
                Type.value(type)));

    assertThat(ours).isEqualTo(bind);
  }

  @Test
  void bothSynthesizeFromTheWildcardWithTheQueryNameAsOwner() throws IOException {
    List<String> expected =
        List.of("x.w.example.com. A 192.0.2.20", "x.w.example.com. A 192.0.2.21");

    assertThat(Answer.of(ask(embedded.udpAddress(), "x.w.example.com", Type.A)).answer())
        .isEqualTo(expected);
    assertThat(
            Answer.of(
                    ask(new InetSocketAddress("127.0.0.1", bind.port()), "x.w.example.com", Type.A))
                .answer())
        .isEqualTo(expected);
  }

  /** What is compared: the negative SOA by owner and type only (BIND derives its TTL). */
  private record Answer(
      String rcode, List<String> answer, List<String> negativeAuthority, boolean dnssecOk) {
    static Answer of(Message m) {
      boolean negative = m.getSection(Section.ANSWER).isEmpty();
      return new Answer(
          Rcode.string(m.getRcode()),
          m.getSection(Section.ANSWER).stream()
              .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
              .sorted()
              .toList(),
          negative
              ? m.getSection(Section.AUTHORITY).stream()
                  .map(r -> r.getName() + " " + Type.string(r.getType()))
                  .toList()
              : List.of(),
          (m.getOPT().getFlags() & ExtendedFlags.DO) != 0);
    }
  }

  private static Message ask(InetSocketAddress server, String name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(Duration.ofSeconds(2));
    resolver.setEDNS(0, 1232, ExtendedFlags.DO);
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
    return resolver.send(query);
  }
}
