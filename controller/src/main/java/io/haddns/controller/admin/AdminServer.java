package io.haddns.controller.admin;

import io.haddns.controller.netty.ListenerLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server for operators: health, readiness, status and Prometheus metrics. Every
 * node runs one, leader or not. Lifecycle: {@link #start()} binds (and fails clearly if the port is
 * taken), {@link #close()} unbinds.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** 64 connections, 16 per source, a request within 10 s of its first byte. */
  public static final ListenerLimits DEFAULT_LIMITS =
      new ListenerLimits(64, 16, Duration.ofSeconds(10));

  private final String host;
  private final int port;
  private final StatusSource source;
  private final PrometheusRegistry registry;
  private final ListenerLimits limits;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;

  /** With the default connection limits. */
  public AdminServer(String host, int port, StatusSource source, PrometheusRegistry registry) {
    this(host, port, source, registry, DEFAULT_LIMITS);
  }

  public AdminServer(
      String host,
      int port,
      StatusSource source,
      PrometheusRegistry registry,
      ListenerLimits limits) {
    this.host = host;
    this.port = port;
    this.source = source;
    this.registry = registry;
    this.limits = limits;
  }

  public void start() {
    boss = new NioEventLoopGroup(1);
    workers = new NioEventLoopGroup(2);
    try {
      channel =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .childHandler(new AdminServerInitializer(source, registry, limits))
              .bind(host, port)
              .sync()
              .channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("admin server start interrupted", e);
    } catch (Exception e) {
      // sync() rethrows the bind failure as it is: a checked java.net.BindException.
      close();
      throw new IllegalStateException(
          "admin server cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    log.info("admin server listening address={}", address());
  }

  /** The bound address (useful when started on port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
