package io.haddns.controller.admin;

import io.haddns.controller.netty.ConnectionLimits;
import io.haddns.controller.netty.IdleClose;
import io.haddns.controller.netty.ListenerLimits;
import io.haddns.controller.netty.RequestDeadline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin server's pipeline: connection caps in all and per source, idle connections closed, TLS
 * when configured (with client certificates when a client CA is), a deadline for each request from
 * its first byte to its last, HTTP/1.1 with 4 KiB request lines and 8 KiB headers, bodies up to 64
 * KiB (larger ones are answered 413).
 */
final class AdminServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final Logger log = LoggerFactory.getLogger(AdminServerInitializer.class);
  static final int MAX_BODY = 64 * 1024;
  private static final long IDLE_SECONDS = 60;

  private final AdminContext shared;
  private final ListenerLimits limits;
  private final Optional<SslContext> tls;
  private final ConnectionLimits connections;

  AdminServerInitializer(AdminContext shared, ListenerLimits limits, Optional<SslContext> tls) {
    this.shared = shared;
    this.limits = limits;
    this.tls = tls;
    this.connections =
        limits.handler(
            (remote, reason) -> log.debug("admin connection={} refused: {}", remote, reason));
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast(connections);
    tls.ifPresent(t -> ch.pipeline().addLast(t.newHandler(ch.alloc())));
    addHandlers(ch.pipeline());
  }

  /** Adds the handlers; separate so tests can build the pipeline on an {@code EmbeddedChannel}. */
  void addHandlers(ChannelPipeline pipeline) {
    RequestDeadline deadline =
        new RequestDeadline(limits.requestTimeout(), msg -> msg instanceof FullHttpRequest);
    pipeline
        .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
        .addLast(new IdleClose())
        .addLast(deadline.start())
        .addLast(new HttpServerCodec(4096, 8192, 8192))
        .addLast(new HttpObjectAggregator(MAX_BODY))
        .addLast(deadline.end())
        .addLast(new AdminHandler(shared));
  }
}
