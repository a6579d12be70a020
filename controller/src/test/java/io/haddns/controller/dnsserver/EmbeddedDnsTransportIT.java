package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordType;
import io.haddns.controller.netty.EventLoops;
import io.haddns.controller.netty.IoTransport;
import io.haddns.controller.netty.TransportPreference;
import io.haddns.controller.testing.RequiredBinary;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDatagramChannelConfig;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The embedded DNS server on the native epoll transport and on the NIO fallback. */
class EmbeddedDnsTransportIT {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int WORKERS = 2;
  private static final int BURST = 2000;

  /** Unanswered queries at most: well within the sockets' receive buffers, so none is dropped. */
  private static final int WINDOW = 256;

  private final MutableZoneSource source =
      new MutableZoneSource()
          .set("example.com", "www.example.com", RecordType.A, 60, "192.0.2.10", "192.0.2.11");
  private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private EventLoops loops;
  private EmbeddedDnsServer server;

  private void start(TransportPreference preference) {
    loops = EventLoops.start("dns-transport-it", WORKERS, preference);
    server =
        new EmbeddedDnsServer(
            new DnsServerSettings(
                "127.0.0.1", 0, TestZones.ZONES, SoaTimers.DEFAULTS, 1232, Duration.ofSeconds(5)),
            source,
            (rcode, transport) ->
                counts
                    .computeIfAbsent(
                        transport + " " + Rcode.string(rcode), k -> new AtomicInteger())
                    .incrementAndGet());
    server.start(loops);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (loops != null) {
      loops.close();
    }
  }

  private static void requireEpoll() {
    RequiredBinary.requireCondition(
        Epoll.isAvailable(), "Netty's native epoll transport: " + Epoll.unavailabilityCause());
  }

  @Test
  void runsOnNativeEpollReadingSeveralDatagramsPerSyscallOnOneSocketPerWorker() throws Exception {
    requireEpoll();

    start(TransportPreference.AUTO);

    assertThat(loops.transport()).isEqualTo(IoTransport.EPOLL);
    assertThat(server.tcpChannel()).isInstanceOf(EpollServerSocketChannel.class);
    assertThat(server.udpChannels())
        .hasSize(WORKERS)
        .allSatisfy(
            ch -> {
              assertThat(ch).isInstanceOf(EpollDatagramChannel.class);
              EpollDatagramChannelConfig config = (EpollDatagramChannelConfig) ch.config();
              assertThat(config.isReusePort()).isTrue();
              assertThat(config.getMaxDatagramPayloadSize())
                  .as("recvmmsg: each datagram read into its own 4096 bytes")
                  .isEqualTo(EmbeddedDnsServer.MAX_DATAGRAM);
              assertThat(
                      ((MaxMessagesRecvByteBufAllocator) config.getRecvByteBufAllocator())
                          .maxMessagesPerRead())
                  .isEqualTo(EmbeddedDnsServer.READS_PER_WAKEUP);
            });
    assertThat(udpSocketsOnPort(server.port())).isEqualTo(WORKERS);
    assertThat(resolve(true).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(resolve(false).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void nioFallbackServesUdpAndTcpOnOneSocketPerWorker() throws Exception {
    start(TransportPreference.NIO);

    assertThat(loops.transport()).isEqualTo(IoTransport.NIO);
    assertThat(server.tcpChannel()).isInstanceOf(NioServerSocketChannel.class);
    assertThat(server.udpChannels())
        .hasSize(WORKERS)
        .allMatch(NioDatagramChannel.class::isInstance);
    assertThat(udpSocketsOnPort(server.port())).isEqualTo(WORKERS);
    Message udp = resolve(false);
    assertThat(udp.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(udp.getSection(Section.ANSWER)).hasSize(2);
    assertThat(resolve(true).getSection(Section.ANSWER)).hasSize(2);
  }

  @ParameterizedTest
  @EnumSource(TransportPreference.class)
  void answersEveryQueryOfABurstFromOneSocketToItsId(TransportPreference preference)
      throws Exception {
    if (preference == TransportPreference.AUTO) {
      requireEpoll();
    }
    start(preference);
    String[] names = {"www.example.com", "missing.example.com", "www.example.net"};
    int[] rcodes = {Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.REFUSED};
    int[] answers = {2, 0, 0};
    Map<Integer, Integer> expected = new HashMap<>();
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      s.setSoTimeout(5000);
      s.setReceiveBufferSize(1 << 20);
      InetSocketAddress to = new InetSocketAddress(LOOPBACK, server.port());
      int sent = 0;
      int received = 0;
      byte[] buf = new byte[1232];
      while (received < BURST) {
        if (sent < BURST && sent - received < WINDOW) {
          Message q = query(names[sent % names.length]);
          q.getHeader().setID(sent);
          byte[] wire = q.toWire();
          s.send(new DatagramPacket(wire, wire.length, to));
          expected.put(sent, sent % names.length);
          sent++;
          continue;
        }
        DatagramPacket reply = new DatagramPacket(buf, buf.length);
        s.receive(reply);
        Message m = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
        Integer kind = expected.remove(m.getHeader().getID());
        assertThat(kind)
            .as("answer to a query asked once, id %d", m.getHeader().getID())
            .isNotNull();
        assertThat(m.getQuestion().getName().toString(true)).isEqualTo(names[kind]);
        assertThat(m.getRcode()).isEqualTo(rcodes[kind]);
        assertThat(m.getSection(Section.ANSWER)).hasSize(answers[kind]);
        received++;
      }
    }
    assertThat(expected).isEmpty();
    assertThat(counts)
        .containsOnlyKeys("UDP NOERROR", "UDP NXDOMAIN", "UDP REFUSED")
        .allSatisfy((k, v) -> assertThat(v.get()).as(k).isBetween(BURST / 3, BURST / 3 + 1));
  }

  @ParameterizedTest
  @EnumSource(TransportPreference.class)
  void readsQueriesOfUpTo4096BytesWholeAndAnswersLongerOnesFormerr(TransportPreference preference)
      throws Exception {
    if (preference == TransportPreference.AUTO) {
      requireEpoll();
    }
    start(preference);

    assertThat(Rcode.string(exchange(EmbeddedDnsServerIT.paddedQuery("www.example.com", 4096))))
        .isEqualTo("NOERROR");
    assertThat(Rcode.string(exchange(EmbeddedDnsServerIT.paddedQuery("www.example.com", 4097))))
        .isEqualTo("FORMERR");
    assertThat(Rcode.string(exchange(EmbeddedDnsServerIT.paddedQuery("www.example.com", 9000))))
        .isEqualTo("FORMERR");
  }

  private int exchange(byte[] query) throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      s.setSoTimeout(3000);
      s.send(new DatagramPacket(query, query.length, LOOPBACK, server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
      s.receive(reply);
      Message m = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(m.getHeader().getID()).isEqualTo(new Message(query).getHeader().getID());
      return m.getRcode();
    }
  }

  private static Message query(String name) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN));
  }

  private Message resolve(boolean tcp) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress(LOOPBACK, server.port()));
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(3));
    return r.send(query("www.example.com"));
  }

  /** UDP sockets bound to {@code port}, IPv4 and dual-stack IPv6 ones alike. */
  private static long udpSocketsOnPort(int port) throws IOException {
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    long n = 0;
    for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
      try (Stream<String> lines = Files.lines(Path.of(table))) {
        n +=
            lines
                .skip(1)
                .map(line -> line.trim().split("\\s+")[1])
                .filter(local -> local.endsWith(hexPort))
                .count();
      }
    }
    return n;
  }
}
