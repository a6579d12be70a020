package io.haddns.controller.dnsserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers DNS queries on both transports: a {@link DatagramPacket} on the UDP channel, or one
 * length-delimited frame ({@link ByteBuf}, RFC 1035 §4.2.2) on a TCP connection. Stateless and
 * shared by every channel. A UDP packet that gets no answer is dropped silently; a TCP connection
 * whose frame gets no answer, that sends an oversized frame or that stays idle is closed. Errors
 * never close the UDP channel. UDP answers are written as their queries are read and sent together
 * when the channel's read ends, which the native transport does with one {@code sendmmsg}.
 */
@Sharable
final class DnsQueryHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(DnsQueryHandler.class);

  private final DnsResponder responder;
  private final DnsServerObserver observer;

  DnsQueryHandler(DnsResponder responder, DnsServerObserver observer) {
    this.responder = responder;
    this.observer = observer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      switch (msg) {
        case DatagramPacket packet -> onDatagram(ctx, packet);
        case ByteBuf frame -> onFrame(ctx, frame);
        default -> log.debug("dns ignored message type={}", msg.getClass().getSimpleName());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onDatagram(ChannelHandlerContext ctx, DatagramPacket packet) {
    Optional<DnsResponder.Reply> reply =
        responder.respond(ByteBufUtil.getBytes(packet.content()), Transport.UDP);
    if (reply.isEmpty()) {
      observer.dropped(Transport.UDP);
      return;
    }
    // Counted before sending, so a client that has its answer also sees it counted.
    observer.answered(reply.get().rcode(), Transport.UDP);
    ctx.write(
        new DatagramPacket(Unpooled.wrappedBuffer(reply.get().wire()), packet.sender()),
        ctx.voidPromise());
  }

  /**
   * Sends the UDP answers of the datagrams just read (TCP answers are flushed one by one, so there
   * is nothing left to send on a connection).
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  private void onFrame(ChannelHandlerContext ctx, ByteBuf frame) {
    Optional<DnsResponder.Reply> reply =
        responder.respond(ByteBufUtil.getBytes(frame), Transport.TCP);
    if (reply.isEmpty()) {
      observer.dropped(Transport.TCP);
      ctx.close();
      return;
    }
    observer.answered(reply.get().rcode(), Transport.TCP);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.get().wire()));
    // A client that pipelines queries but does not read its answers must not fill our memory.
    if (!ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (ctx.channel() instanceof DatagramChannel) {
      log.debug("dns udp error ignored: {}", cause.toString());
      return;
    }
    if (!(cause instanceof ReadTimeoutException)) {
      log.debug("dns tcp peer={} closed: {}", ctx.channel().remoteAddress(), cause.toString());
      observer.dropped(Transport.TCP);
    }
    ctx.close();
  }
}
