package io.haddns.controller.dnsserver;

import static io.haddns.controller.dnsserver.TestZones.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsQueryHandlerTest {
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

  private final TestZones zones = new TestZones();
  private final List<String> observed = new ArrayList<>();
  private final DnsServerObserver observer =
      new DnsServerObserver() {
        @Override
        public void answered(int rcode, Transport transport) {
          observed.add(transport + " " + Rcode.string(rcode));
        }

        @Override
        public void dropped(Transport transport) {
          observed.add(transport + " dropped");
        }
      };
  private final DnsQueryHandler handler = new DnsQueryHandler(zones.responder, observer);

  private EmbeddedChannel tcpChannel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    new EmbeddedDnsServerInitializer(handler, Duration.ofSeconds(10)).addHandlers(ch.pipeline());
    return ch;
  }

  private static ByteBuf framed(byte[]... messages) {
    ByteBuf buf = Unpooled.buffer();
    for (byte[] m : messages) {
      buf.writeShort(m.length).writeBytes(m);
    }
    return buf;
  }

  /** Reads one length-prefixed response from the outbound side (prefix and body may be split). */
  private static Message readFramed(EmbeddedChannel ch) throws Exception {
    ByteBuf all = Unpooled.buffer();
    ByteBuf part;
    while (all.readableBytes() < 2
        || all.readableBytes() < 2 + all.getUnsignedShort(all.readerIndex())) {
      part = ch.readOutbound();
      assertThat(part).as("response bytes").isNotNull();
      all.writeBytes(part);
      part.release();
    }
    int len = all.readUnsignedShort();
    Message m = new Message(ByteBufUtil.getBytes(all, all.readerIndex(), len));
    all.release();
    return m;
  }

  @Test
  void answersUdpQueryToItsSender() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(handler);
    byte[] q = query("www.example.com", Type.A).toWire();

    ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(q), SERVER, CLIENT));

    DatagramPacket out = ch.readOutbound();
    assertThat(out.recipient()).isEqualTo(CLIENT);
    Message r = new Message(ByteBufUtil.getBytes(out.content()));
    out.release();
    assertThat(r.getSection(Section.ANSWER)).hasSize(2);
    assertThat(observed).containsExactly("UDP NOERROR");
  }

  @Test
  void dropsUnparseableUdpPacketAndKeepsServing() {
    EmbeddedChannel ch = new EmbeddedChannel(handler);

    ch.writeInbound(
        new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), SERVER, CLIENT));
    ch.writeInbound(
        new DatagramPacket(
            Unpooled.wrappedBuffer(query("missing.example.com", Type.A).toWire()), SERVER, CLIENT));

    DatagramPacket out = ch.readOutbound();
    assertThat(out).isNotNull();
    out.release();
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.isOpen()).isTrue();
    assertThat(observed).containsExactly("UDP dropped", "UDP NXDOMAIN");
  }

  @Test
  void answersSeveralPipelinedTcpQueriesInOrder() throws Exception {
    EmbeddedChannel ch = tcpChannel();
    Message q1 = query("www.example.com", Type.A);
    Message q2 = query("missing.example.com", Type.A);
    Message q3 = query("example.com", Type.SOA);
    ByteBuf in = framed(q1.toWire(), q2.toWire(), q3.toWire());

    // Split the stream mid-frame: framing must not depend on packet boundaries.
    ch.writeInbound(in.readRetainedSlice(20));
    ch.writeInbound(in.readRetainedSlice(in.readableBytes()));
    in.release();

    assertThat(readFramed(ch).getHeader().getID()).isEqualTo(q1.getHeader().getID());
    assertThat(readFramed(ch).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(readFramed(ch).getSection(Section.ANSWER).get(0).getType()).isEqualTo(Type.SOA);
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void sendsFullLargeAnswerOverTcp() throws Exception {
    zones.withLargeRrset("big.example.com", 100);
    EmbeddedChannel ch = tcpChannel();

    ch.writeInbound(framed(query("big.example.com", Type.A).toWire()));

    assertThat(readFramed(ch).getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void closesTcpConnectionOnOversizedFrame() {
    EmbeddedChannel ch = tcpChannel();
    ByteBuf in = Unpooled.buffer();
    in.writeShort(EmbeddedDnsServerInitializer.MAX_QUERY + 1);
    in.writeZero(100);

    ch.writeInbound(in);

    assertThat(ch.isOpen()).isFalse();
    assertThat(observed).containsExactly("TCP dropped");
  }

  @Test
  void closesTcpConnectionOnFrameWithoutHeader() {
    EmbeddedChannel ch = tcpChannel();

    ch.writeInbound(framed(new byte[] {0, 1, 2}));

    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void answersFormatErrorOverTcpWhenHeaderIsReadable() throws Exception {
    EmbeddedChannel ch = tcpChannel();
    byte[] header = java.util.Arrays.copyOf(query("www.example.com", Type.A).toWire(), 14);

    ch.writeInbound(framed(header));

    assertThat(readFramed(ch).getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(ch.isOpen()).isTrue();
  }
}
