package io.haddns.controller.gateway;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's pipeline: optional TLS, idle and header timeouts, HTTP/1.1 with 4 KiB request lines
 * and 8 KiB headers, bodies up to 8 KiB, then the router.
 */
final class GatewayServerInitializer extends ChannelInitializer<SocketChannel> {
  private final Optional<SslContext> tls;
  private final GatewaySettings settings;
  private final GatewayObserver observer;
  private final Supplier<GatewayHandler> handlers;

  GatewayServerInitializer(
      Optional<SslContext> tls,
      GatewaySettings settings,
      GatewayObserver observer,
      Supplier<GatewayHandler> handlers) {
    this.tls = tls;
    this.settings = settings;
    this.observer = observer;
    this.handlers = handlers;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    tls.ifPresent(t -> ch.pipeline().addLast(t.newHandler(ch.alloc())));
    ch.pipeline()
        .addLast(
            new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast(new IdleClose())
        .addLast(new HttpServerCodec(4096, 8192, 8192))
        .addLast(new HeaderTimeout(settings.headerTimeout().toNanos()))
        .addLast(new BodyLimit(observer))
        .addLast(handlers.get());
  }
}
