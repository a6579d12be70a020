package io.haddns.controller.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Bounds how long one request (a DNS query, an HTTP request) may take to arrive, from its first
 * byte to its last. An idle timeout restarts with every byte, so a client sending one byte every
 * few seconds would hold its connection, and a descriptor, for ever; this deadline does not move.
 * When it passes, the connection is closed.
 *
 * <p>Two handlers share one timer: {@link #start()} goes before the decoder and arms the timer at
 * the first bytes read while it is not armed; {@link #end()} goes after the decoder and disarms it
 * at each message that {@code completes} a request. One instance per connection; all calls on its
 * event loop.
 */
public final class RequestDeadline {
  private final long nanos;
  private final Predicate<Object> completes;
  private ScheduledFuture<?> timer;

  public RequestDeadline(Duration timeout, Predicate<Object> completes) {
    this.nanos = timeout.toNanos();
    this.completes = completes;
  }

  /** Arms the deadline at a request's first bytes; place before the decoder. */
  public ChannelHandler start() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (timer == null && msg instanceof ByteBuf b && b.isReadable()) {
          timer = ctx.executor().schedule(() -> late(ctx), nanos, TimeUnit.NANOSECONDS);
        }
        super.channelRead(ctx, msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
      }
    };
  }

  /** Disarms the deadline at each complete request; place after the decoder. */
  public ChannelHandler end() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (completes.test(msg)) {
          disarm();
        }
        super.channelRead(ctx, msg);
      }
    };
  }

  private void late(ChannelHandlerContext ctx) {
    timer = null;
    ctx.close();
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
