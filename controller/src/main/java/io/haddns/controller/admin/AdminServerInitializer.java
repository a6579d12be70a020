package io.haddns.controller.admin;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;

/** The admin server's pipeline: HTTP/1.1, small bodies only, idle connections closed. */
final class AdminServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final int MAX_BODY = 64 * 1024;

  private final StatusSource source;
  private final PrometheusRegistry registry;

  AdminServerInitializer(StatusSource source, PrometheusRegistry registry) {
    this.source = source;
    this.registry = registry;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast(new IdleStateHandler(0, 0, 60, TimeUnit.SECONDS))
        .addLast(new IdleCloser())
        .addLast(new HttpServerCodec(4096, 8192, 8192))
        .addLast(new HttpObjectAggregator(MAX_BODY))
        .addLast(new AdminHandler(source, registry));
  }
}
