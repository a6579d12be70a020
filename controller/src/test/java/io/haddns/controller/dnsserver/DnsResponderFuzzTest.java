package io.haddns.controller.dnsserver;

import static io.haddns.controller.dnsserver.TestZones.query;
import static io.haddns.controller.dnsserver.TestZones.withEdns;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Feeds thousands of random and mutated packets (fixed seeds, so a failure reproduces) to the
 * responder and the handlers: nothing may throw, every reply must parse, be a response and fit.
 */
class DnsResponderFuzzTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
  private static final int ROUNDS = 5000;

  private final TestZones zones = new TestZones().withLargeRrset("big.example.com", 100);

  private List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>();
    for (String name : List.of("www.example.com", "big.example.com", "example.com", "nope.org")) {
      for (int type : List.of(Type.A, Type.AAAA, Type.SOA, Type.NS, Type.ANY)) {
        seeds.add(query(name, type).toWire());
        seeds.add(withEdns(query(name, type), 4096).toWire());
      }
    }
    return seeds;
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] p = seed.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
          p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> p = java.util.Arrays.copyOf(p, random.nextInt(p.length + 1));
      case 2 -> {
        byte[] longer = java.util.Arrays.copyOf(p, p.length + 1 + random.nextInt(64));
        random.nextBytes(longer);
        System.arraycopy(p, 0, longer, 0, p.length);
        p = longer;
      }
      default -> {
        // Rewrite the header counts and flags, the fields parsers trust most.
        for (int i = 2; i < Math.min(12, p.length); i++) {
          if (random.nextBoolean()) {
            p[i] = (byte) random.nextInt(256);
          }
        }
      }
    }
    return p;
  }

  private static byte[] randomPacket(Random random) {
    byte[] p = new byte[random.nextInt(600)];
    random.nextBytes(p);
    if (p.length > 2 && random.nextBoolean()) {
      p[2] &= 0x7f; // mostly queries, so the parser gets further than the QR bit
    }
    return p;
  }

  private static void assertValidReply(byte[] packet, Optional<DnsResponder.Reply> reply, int limit)
      throws Exception {
    if (reply.isEmpty()) {
      return;
    }
    byte[] wire = reply.get().wire();
    assertThat(wire.length).isBetween(12, limit);
    Message m = new Message(wire);
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    int id = ((packet[0] & 0xff) << 8) | (packet[1] & 0xff);
    assertThat(m.getHeader().getID()).isEqualTo(id);
  }

  @Test
  void randomPacketsNeverBreakTheResponder() throws Exception {
    Random random = new Random(20260301L);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] p = randomPacket(random);
      Transport t = random.nextBoolean() ? Transport.UDP : Transport.TCP;
      assertValidReply(p, zones.responder.respond(p, t), t == Transport.UDP ? 1232 : 65535);
    }
  }

  @Test
  void mutatedQueriesNeverBreakTheResponder() throws Exception {
    Random random = new Random(1035L);
    List<byte[]> seeds = seeds();
    int answered = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] p = mutate(seeds.get(random.nextInt(seeds.size())), random);
      Optional<DnsResponder.Reply> reply = zones.responder.respond(p, Transport.UDP);
      assertValidReply(p, reply, 1232);
      answered += reply.isPresent() ? 1 : 0;
    }
    // Most mutations still leave a readable header: the test must exercise the answer path.
    assertThat(answered).isGreaterThan(ROUNDS / 2);
  }

  @Test
  void mutatedPacketsNeverCloseTheUdpChannel() {
    Random random = new Random(2181L);
    List<byte[]> seeds = seeds();
    EmbeddedChannel ch =
        new EmbeddedChannel(new DnsQueryHandler(zones.responder, DnsServerObserver.NOOP));
    for (int i = 0; i < ROUNDS; i++) {
      byte[] p =
          random.nextBoolean()
              ? mutate(seeds.get(random.nextInt(seeds.size())), random)
              : randomPacket(random);
      ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(p), PEER, PEER));
      DatagramPacket out;
      while ((out = ch.readOutbound()) != null) {
        out.release();
      }
    }
    ch.writeInbound(
        new DatagramPacket(
            Unpooled.wrappedBuffer(query("www.example.com", Type.A).toWire()), PEER, PEER));
    DatagramPacket last = ch.readOutbound();
    assertThat(ch.isOpen()).isTrue();
    assertThat(last).isNotNull();
    last.release();
  }

  @Test
  void brokenTcpStreamsOnlyEverCloseTheirOwnConnection() throws Exception {
    Random random = new Random(7766L);
    List<byte[]> seeds = seeds();
    java.util.concurrent.atomic.AtomicInteger answered =
        new java.util.concurrent.atomic.AtomicInteger();
    DnsQueryHandler handler =
        new DnsQueryHandler(zones.responder, (rcode, transport) -> answered.incrementAndGet());
    int closed = 0;
    for (int i = 0; i < 500; i++) {
      EmbeddedChannel ch = new EmbeddedChannel();
      new EmbeddedDnsServerInitializer(handler, Duration.ofSeconds(10)).addHandlers(ch.pipeline());
      ByteBuf stream = Unpooled.buffer();
      for (int f = 0, n = 1 + random.nextInt(4); f < n; f++) {
        byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
        stream.writeShort(random.nextInt(10) == 0 ? random.nextInt(65536) : frame.length);
        stream.writeBytes(frame);
      }
      while (stream.isReadable() && ch.isOpen()) {
        ch.writeInbound(stream.readRetainedSlice(1 + random.nextInt(stream.readableBytes())));
      }
      stream.release();
      ByteBuf out;
      while ((out = ch.readOutbound()) != null) {
        out.release();
      }
      closed += ch.isOpen() ? 0 : 1;
      ch.finishAndReleaseAll();
    }
    assertThat(answered.get()).isGreaterThan(500);
    assertThat(closed).isPositive();
  }
}
