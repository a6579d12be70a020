package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.dns.RecordType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class EmbeddedDnsServerIT {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final MutableZoneSource source = new MutableZoneSource();
  private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private EmbeddedDnsServer server;

  @BeforeEach
  void start() {
    source
        .set("example.com", "www.example.com", RecordType.A, 60, "192.0.2.10", "192.0.2.11")
        .set("example.com", "www.example.com", RecordType.AAAA, 60, "2001:db8::10")
        .set("example.com", "v4only.example.com", RecordType.A, 30, "203.0.113.7")
        .set("example.com", "host.below.example.com", RecordType.A, 30, "203.0.113.8");
    server = newServer(0, Duration.ofMillis(500));
    server.start();
    String[] big = new String[100];
    for (int i = 0; i < 100; i++) {
      big[i] = "192.0.2." + (i + 1);
    }
    source.set("example.com", "big.example.com", RecordType.A, 60, big);
  }

  private EmbeddedDnsServer newServer(int port, Duration idle) {
    return new EmbeddedDnsServer(
        new DnsServerSettings("127.0.0.1", port, TestZones.ZONES, SoaTimers.DEFAULTS, 1232, idle),
        source,
        (rcode, transport) ->
            counts
                .computeIfAbsent(transport + " " + Rcode.string(rcode), k -> new AtomicInteger())
                .incrementAndGet());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Message resolve(boolean tcp, String name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress(LOOPBACK, server.port()));
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(3));
    Message q =
        Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
    return r.send(q);
  }

  @ParameterizedTest(name = "tcp={0} {1} {2} -> {3} answers={4}")
  @CsvSource({
    "false, www.example.com,     A,    NOERROR,  2",
    "true,  www.example.com,     A,    NOERROR,  2",
    "false, www.example.com,     AAAA, NOERROR,  1",
    "true,  example.com,         SOA,  NOERROR,  1",
    "false, example.com,         NS,   NOERROR,  2",
    "false, missing.example.com, A,    NXDOMAIN, 0",
    "true,  missing.example.com, A,    NXDOMAIN, 0",
    "false, v4only.example.com,  AAAA, NOERROR,  0",
    "false, below.example.com,   A,    NOERROR,  0",
    "false, www.example.net,     A,    REFUSED,  0",
    "true,  big.example.com,     A,    NOERROR,  100",
  })
  void answersDnsjavaResolverOverUdpAndTcp(
      boolean tcp, String name, String type, String rcode, int answers) throws IOException {
    Message r = resolve(tcp, name, Type.value(type));

    assertThat(Rcode.string(r.getRcode())).isEqualTo(rcode);
    assertThat(r.getSection(Section.ANSWER)).hasSize(answers);
    assertThat(r.getHeader().getFlag(Flags.AA)).isEqualTo(!rcode.equals("REFUSED"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(DigTool.class)
  void answersDigAndKdig(DigTool tool) throws Exception {
    int port = server.port();

    DigTool.Result a = tool.query(port, "www.example.com", "A");
    DigTool.Result aaaa = tool.query(port, "www.example.com", "AAAA");
    DigTool.Result soa = tool.query(port, "example.com", "SOA");
    DigTool.Result ns = tool.query(port, "example.com", "NS");
    DigTool.Result nx = tool.query(port, "missing.example.com", "A");
    DigTool.Result nodata = tool.query(port, "v4only.example.com", "AAAA");
    DigTool.Result refused = tool.query(port, "www.example.net", "A");

    assertThat(a.status()).isEqualTo("NOERROR");
    assertThat(a.flags()).contains("qr", "aa").doesNotContain("ra", "tc");
    assertThat(a.answers()).isEqualTo(2);
    assertThat(a.output()).contains("192.0.2.10", "192.0.2.11");
    assertThat(aaaa.output()).contains("2001:db8::10");
    assertThat(soa.output()).contains("ns1.example.com.", "hostmaster.example.com.");
    assertThat(ns.answers()).isEqualTo(2);
    assertThat(ns.output()).contains("192.0.2.53", "2001:db8::53");
    assertThat(nx.status()).isEqualTo("NXDOMAIN");
    assertThat(nx.flags()).contains("aa");
    assertThat(nx.output()).contains("hostmaster.example.com.");
    assertThat(nodata.status()).isEqualTo("NOERROR");
    assertThat(nodata.answers()).isZero();
    assertThat(nodata.output()).contains("hostmaster.example.com.");
    assertThat(refused.status()).isEqualTo("REFUSED");
    assertThat(refused.flags()).doesNotContain("aa");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(DigTool.class)
  void truncatesLargeRrsetOverUdpAndSendsAllOverTcp(DigTool tool) throws Exception {
    DigTool.Result udp = tool.query(server.port(), "+notcp", "+ignore", "big.example.com", "A");
    DigTool.Result tcp = tool.query(server.port(), "+tcp", "big.example.com", "A");

    assertThat(udp.flags()).contains("tc");
    assertThat(tcp.flags()).doesNotContain("tc");
    assertThat(tcp.answers()).isEqualTo(100);
    assertThat(counts).containsKeys("UDP NOERROR", "TCP NOERROR");
  }

  @Test
  void digFallsBackToTcpForTruncatedAnswer() throws Exception {
    DigTool.Result r = DigTool.DIG.query(server.port(), "+short", "big.example.com", "A");

    assertThat(r.output().lines().filter(l -> l.startsWith("192.0.2."))).hasSize(100);
  }

  @Test
  void answersChangeWithTheSourceAndSerialIncreases() throws Exception {
    long before = soaSerial();

    source.set("example.com", "www.example.com", RecordType.A, 60, "198.51.100.99");

    assertThat(DigTool.DIG.query(server.port(), "+short", "www.example.com", "A").output().trim())
        .isEqualTo("198.51.100.99");
    assertThat(soaSerial()).isGreaterThan(before);
    assertThat(server.serial("example.com")).isEqualTo(soaSerial());
  }

  private long soaSerial() throws IOException {
    return ((SOARecord) resolve(false, "example.com", Type.SOA).getSection(Section.ANSWER).get(0))
        .getSerial();
  }

  @Test
  void answersSeveralQueriesOnOneTcpConnectionThenClosesItWhenIdle() throws Exception {
    try (Socket s = new Socket(LOOPBACK, server.port())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      DataInputStream in = new DataInputStream(s.getInputStream());
      for (String name : List.of("www.example.com", "missing.example.com", "v4only.example.com")) {
        byte[] q = TestZones.query(name, Type.A).toWire();
        out.writeShort(q.length);
        out.write(q);
      }
      out.flush();
      int[] rcodes = new int[3];
      for (int i = 0; i < 3; i++) {
        byte[] r = new byte[in.readUnsignedShort()];
        in.readFully(r);
        rcodes[i] = new Message(r).getRcode();
      }
      assertThat(rcodes).containsExactly(Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.NOERROR);

      s.setSoTimeout(5000);
      long start = System.nanoTime();
      assertThat(in.read()).as("server closes the idle connection").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void closesTcpConnectionOnOversizedFrameAndKeepsServing() throws Exception {
    try (Socket s = new Socket(LOOPBACK, server.port())) {
      s.setSoTimeout(5000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(65535);
      out.write(new byte[100]);
      out.flush();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(resolve(true, "www.example.com", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void answersAnOversizedUdpQueryFormerrAndKeepsServing() throws Exception {
    byte[] query = paddedQuery("www.example.com", 65000);
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      s.setSoTimeout(3000);
      s.send(new DatagramPacket(query, query.length, LOOPBACK, server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
      s.receive(reply);
      Message m = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(Rcode.string(m.getRcode())).isEqualTo("FORMERR");
      assertThat(m.getHeader().getID()).isEqualTo(new Message(query).getHeader().getID());
    }
    assertThat(resolve(false, "www.example.com", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {2049, 4096})
  void answersUdpQueriesLargerThanNettysDefaultDatagramBuffer(int size) throws Exception {
    byte[] query = paddedQuery("www.example.com", size);
    assertThat(query).hasSize(size);
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      s.setSoTimeout(3000);
      s.send(new DatagramPacket(query, query.length, LOOPBACK, server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
      s.receive(reply);
      Message m = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(Rcode.string(m.getRcode())).isEqualTo("NOERROR");
      assertThat(m.getSection(Section.ANSWER)).hasSize(2);
      assertThat(m.getHeader().getID()).isEqualTo(new Message(query).getHeader().getID());
      assertThat(reply.getLength()).isLessThanOrEqualTo(1232);
    }
    assertThat(resolve(false, "www.example.com", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  /** An A query of exactly {@code size} bytes, padded with an EDNS Padding option (RFC 7830). */
  static byte[] paddedQuery(String name, int size) throws IOException {
    Record question = Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN);
    Message empty = Message.newQuery(question);
    empty.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(12, new byte[0]))),
        Section.ADDITIONAL);
    int padding = size - empty.toWire().length;
    Message q = Message.newQuery(question);
    q.getHeader().setID(empty.getHeader().getID());
    q.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(12, new byte[padding]))),
        Section.ADDITIONAL);
    return q.toWire();
  }

  @Test
  void survivesGarbageOverUdp() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      s.setSoTimeout(3000);
      byte[] garbage =
          new byte[] {0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0, 0, 0, 0, 0x7f};
      s.send(new DatagramPacket(garbage, garbage.length, LOOPBACK, server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      s.receive(reply);
      Message m = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
      assertThat(m.getHeader().getID()).isEqualTo(0x1234);
      s.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, LOOPBACK, server.port()));
    }
    assertThat(resolve(false, "www.example.com", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void failsClearlyWhenUdpPortIsTaken() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(0, LOOPBACK)) {
      int port = taken.getLocalPort();
      EmbeddedDnsServer other = newServer(port, Duration.ofSeconds(1));
      try {
        assertThatThrownBy(other::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("UDP 127.0.0.1:" + port);
      } finally {
        other.close();
      }
    }
  }

  @Test
  void failsClearlyWhenTcpPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      int port = taken.getLocalPort();
      EmbeddedDnsServer other = newServer(port, Duration.ofSeconds(1));
      try {
        assertThatThrownBy(other::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("TCP 127.0.0.1:" + port);
      } finally {
        other.close();
      }
    }
  }

  @Test
  void kdigReusesOneTcpConnectionForSeveralQueries() throws Exception {
    DigTool.Result r =
        DigTool.KDIG.query(
            server.port(), "+tcp", "+keepopen", "www.example.com", "A", "example.com", "SOA");

    assertThat(r.output()).contains("192.0.2.10", "hostmaster.example.com.");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(counts.get("TCP NOERROR")).hasValueGreaterThanOrEqualTo(2));
  }
}
