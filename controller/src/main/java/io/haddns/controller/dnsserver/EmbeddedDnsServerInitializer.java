package io.haddns.controller.dnsserver;

import io.haddns.controller.netty.ConnectionLimits;
import io.haddns.controller.netty.ListenerLimits;
import io.haddns.controller.netty.RequestDeadline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one DNS-over-TCP connection: connection caps in all and per source, idle timeout
 * (RFC 7766 §6.2.3), a deadline for each query from its first byte to its last (so a client
 * trickling bytes cannot hold a connection), two-byte length framing both ways (RFC 1035 §4.2.2),
 * then the shared {@link DnsQueryHandler}. Several queries may follow each other on one connection;
 * they are answered in order.
 */
final class EmbeddedDnsServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDnsServerInitializer.class);

  /** Queries are small; a longer frame is not a query we would answer, so the peer is dropped. */
  static final int MAX_QUERY = 16 * 1024;

  private final DnsQueryHandler handler;
  private final Duration idleTimeout;
  private final Duration queryTimeout;
  private final ConnectionLimits connections;

  EmbeddedDnsServerInitializer(DnsQueryHandler handler, Duration idleTimeout) {
    this(handler, idleTimeout, DnsServerSettings.DEFAULT_TCP_LIMITS);
  }

  EmbeddedDnsServerInitializer(
      DnsQueryHandler handler, Duration idleTimeout, ListenerLimits limits) {
    this.handler = handler;
    this.idleTimeout = idleTimeout;
    this.queryTimeout = limits.requestTimeout();
    this.connections =
        limits.handler(
            (remote, reason) -> log.debug("dns tcp connection={} refused: {}", remote, reason));
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast(connections);
    addHandlers(ch.pipeline());
  }

  /** Adds the handlers; separate so tests can build the pipeline on an {@code EmbeddedChannel}. */
  void addHandlers(ChannelPipeline pipeline) {
    RequestDeadline deadline = new RequestDeadline(queryTimeout, msg -> msg instanceof ByteBuf);
    pipeline
        .addLast(new ReadTimeoutHandler(idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
        .addLast(deadline.start())
        .addLast(new LengthFieldBasedFrameDecoder(MAX_QUERY + 2, 0, 2, 0, 2, true))
        .addLast(deadline.end())
        .addLast(new LengthFieldPrepender(2))
        .addLast(handler);
  }
}
