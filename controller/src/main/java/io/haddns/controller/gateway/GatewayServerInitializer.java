package io.haddns.controller.gateway;

import io.haddns.controller.netty.ConnectionLimits;
import io.haddns.controller.netty.IdleClose;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's pipeline: connection caps, optional TLS, idle timeout, HTTP/1.1 with 4 KiB request
 * lines and 8 KiB headers, header and whole-request timeouts, bodies up to 8 KiB, then the router.
 */
final class GatewayServerInitializer extends ChannelInitializer<SocketChannel> {
  private final Optional<SslContext> tls;
  private final GatewaySettings settings;
  private final GatewayObserver observer;
  private final RefusalAudit refusals;
  private final ConnectionLimits connections;
  private final Supplier<GatewayHandler> handlers;

  GatewayServerInitializer(
      Optional<SslContext> tls,
      GatewaySettings settings,
      GatewayObserver observer,
      RefusalAudit refusals,
      Supplier<GatewayHandler> handlers) {
    this.tls = tls;
    this.settings = settings;
    this.observer = observer;
    this.refusals = refusals;
    this.connections =
        new ConnectionLimits(
            settings.maxConnections(),
            settings.maxConnectionsPerSource(),
            (remote, reason) -> refusals.refused("", remote, "too-many-connections", reason));
    this.handlers = handlers;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast(connections);
    tls.ifPresent(t -> ch.pipeline().addLast(t.newHandler(ch.alloc())));
    ch.pipeline()
        .addLast(
            new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast(new IdleClose())
        .addLast(new HttpServerCodec(4096, 8192, 8192))
        .addLast(
            new RequestTimeouts(
                settings.headerTimeout().toNanos(), settings.requestTimeout().toNanos(), refusals))
        .addLast(new BodyLimit(observer, refusals))
        .addLast(handlers.get());
  }
}
