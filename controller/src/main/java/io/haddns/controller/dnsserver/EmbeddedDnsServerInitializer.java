package io.haddns.controller.dnsserver;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one DNS-over-TCP connection: idle timeout (RFC 7766 §6.2.3), two-byte length
 * framing both ways (RFC 1035 §4.2.2), then the shared {@link DnsQueryHandler}. Several queries may
 * follow each other on one connection; they are answered in order.
 */
final class EmbeddedDnsServerInitializer extends ChannelInitializer<SocketChannel> {
  /** Queries are small; a longer frame is not a query we would answer, so the peer is dropped. */
  static final int MAX_QUERY = 16 * 1024;

  private final DnsQueryHandler handler;
  private final Duration idleTimeout;

  EmbeddedDnsServerInitializer(DnsQueryHandler handler, Duration idleTimeout) {
    this.handler = handler;
    this.idleTimeout = idleTimeout;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    addHandlers(ch.pipeline());
  }

  /** Adds the handlers; separate so tests can build the pipeline on an {@code EmbeddedChannel}. */
  void addHandlers(ChannelPipeline pipeline) {
    pipeline
        .addLast(new ReadTimeoutHandler(idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
        .addLast(new LengthFieldBasedFrameDecoder(MAX_QUERY + 2, 0, 2, 0, 2, true))
        .addLast(new LengthFieldPrepender(2))
        .addLast(handler);
  }
}
