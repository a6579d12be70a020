package io.haddns.controller.netty;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * One socket a server listens on, bound on {@link EventLoops} that may be shared with other
 * servers: a TCP server socket, together with the connections it accepted, or a UDP socket. Since
 * the event loops outlive the server, {@link #close()} closes the socket and every connection it
 * accepted itself, so a closed server leaves no connection behind. Thread-safe.
 */
public final class Listener implements AutoCloseable {
  private final Channel channel;
  private final ChannelGroup connections;
  private final AtomicBoolean closed;

  private Listener(Channel channel, ChannelGroup connections, AtomicBoolean closed) {
    this.channel = channel;
    this.connections = connections;
    this.closed = closed;
  }

  /**
   * Binds a TCP server socket whose connections {@code connections} sets up.
   *
   * @param server the server, as its failure names it (e.g. {@code gateway})
   * @param options the server bootstrap's options (e.g. {@code SO_REUSEADDR}); may return it as is
   * @throws IllegalStateException naming server, transport, address and cause when the socket
   *     cannot be bound
   */
  public static Listener tcp(
      EventLoops loops,
      String server,
      String host,
      int port,
      ChannelHandler connections,
      UnaryOperator<ServerBootstrap> options) {
    ChannelGroup accepted = new DefaultChannelGroup(server, GlobalEventExecutor.INSTANCE);
    AtomicBoolean closed = new AtomicBoolean();
    ServerBootstrap b =
        options.apply(
            new ServerBootstrap()
                .group(loops.boss(), loops.workers())
                .channel(loops.transport().serverSocket())
                .childHandler(
                    new ChannelInitializer<Channel>() {
                      @Override
                      protected void initChannel(Channel ch) {
                        accepted.add(ch);
                        if (closed.get()) {
                          // Accepted as the socket closed, after its connections were closed.
                          ch.close();
                          return;
                        }
                        ch.pipeline().addLast(connections);
                      }
                    }));
    return bind(b, server, "TCP", host, port, accepted, closed);
  }

  /**
   * Binds a UDP socket whose pipeline {@code handler} sets up; as {@link #tcp} otherwise.
   *
   * @param options the bootstrap's options (e.g. receive buffers); may return it as is
   */
  public static Listener udp(
      EventLoops loops,
      String server,
      String host,
      int port,
      ChannelHandler handler,
      UnaryOperator<Bootstrap> options) {
    Bootstrap b =
        options.apply(
            new Bootstrap()
                .group(loops.workers())
                .channel(loops.transport().datagram())
                .handler(handler));
    return bind(b, server, "UDP", host, port, null, new AtomicBoolean());
  }

  private static Listener bind(
      AbstractBootstrap<?, ?> bootstrap,
      String server,
      String transport,
      String host,
      int port,
      ChannelGroup connections,
      AtomicBoolean closed) {
    ChannelFuture future = bootstrap.bind(host, port).awaitUninterruptibly();
    if (!future.isSuccess()) {
      String where = host.contains(":") ? "[" + host + "]" : host;
      throw new IllegalStateException(
          server
              + " cannot listen on "
              + transport
              + " "
              + where
              + ":"
              + port
              + ": "
              + future.cause().getMessage(),
          future.cause());
    }
    return new Listener(future.channel(), connections, closed);
  }

  /** The listening channel, of {@link EventLoops#transport()}'s classes. */
  public Channel channel() {
    return channel;
  }

  /** The bound address (the chosen port when bound to port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Closes the socket, then every connection it accepted, and waits for both. Idempotent. */
  @Override
  public void close() {
    closed.set(true);
    channel.close().syncUninterruptibly();
    if (connections != null) {
      connections.close().awaitUninterruptibly();
    }
  }
}
