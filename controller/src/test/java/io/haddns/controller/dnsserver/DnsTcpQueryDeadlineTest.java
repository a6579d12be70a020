package io.haddns.controller.dnsserver;

import static io.haddns.controller.dnsserver.TestZones.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.netty.ListenerLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class DnsTcpQueryDeadlineTest {
  private static final Duration IDLE = Duration.ofSeconds(10);
  private static final Duration QUERY = Duration.ofSeconds(5);

  private final TestZones zones = new TestZones();

  private EmbeddedChannel tcpChannel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    new EmbeddedDnsServerInitializer(
            new DnsQueryHandler(zones.responder, (rcode, transport) -> {}),
            IDLE,
            new ListenerLimits(8, 8, QUERY))
        .addHandlers(ch.pipeline());
    return ch;
  }

  private static ByteBuf framed(byte[] message) {
    return Unpooled.buffer().writeShort(message.length).writeBytes(message);
  }

  private static void advance(EmbeddedChannel ch, Duration by) {
    ch.advanceTimeBy(by.toMillis(), TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  @Test
  void closesAConnectionThatTricklesOneQueryByteByByte() {
    EmbeddedChannel ch = tcpChannel();
    ByteBuf q = framed(query("www.example.com", Type.A).toWire());

    // One byte every 2 s: each restarts the 10 s idle timer, none completes the query.
    for (int i = 0; i < 3; i++) {
      ch.writeInbound(q.readRetainedSlice(1));
      advance(ch, Duration.ofSeconds(2));
    }
    assertThat(ch.isOpen()).isFalse();
    q.release();
  }

  @Test
  void keepsAConnectionWhoseQueriesArriveWholeHowEverFarApart() {
    EmbeddedChannel ch = tcpChannel();

    for (int i = 0; i < 4; i++) {
      ch.writeInbound(framed(query("www.example.com", Type.A).toWire()));
      advance(ch, Duration.ofSeconds(4));
      assertThat(ch.isOpen()).isTrue();
      assertThat((Object) ch.readOutbound()).isNotNull();
      ch.releaseOutbound();
    }
    ch.finishAndReleaseAll();
  }

  @Test
  void givesEachQueryItsOwnDeadline() {
    EmbeddedChannel ch = tcpChannel();
    ByteBuf first = framed(query("www.example.com", Type.A).toWire());
    ByteBuf second = framed(query("www.example.com", Type.AAAA).toWire());

    ch.writeInbound(first.readRetainedSlice(3));
    advance(ch, Duration.ofSeconds(4));
    ch.writeInbound(first);
    ch.writeInbound(second.readRetainedSlice(3));
    advance(ch, Duration.ofSeconds(4));

    assertThat(ch.isOpen()).isTrue();
    advance(ch, Duration.ofSeconds(2));
    assertThat(ch.isOpen()).isFalse();
    second.release();
    ch.releaseOutbound();
  }
}
