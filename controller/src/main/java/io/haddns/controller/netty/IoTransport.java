package io.haddns.controller.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiFunction;

/**
 * The socket transport of a node's {@link EventLoops}: its event-loop threads and the channel
 * classes that run on them (a channel of one transport cannot be registered on the other's
 * threads). The native epoll transport saves the JVM's per-datagram cost: it reads several UDP
 * datagrams with one {@code recvmmsg} and sends several with one {@code sendmmsg}
 * (docs/architecture.md, "netty").
 */
public enum IoTransport {
  /** Netty's native epoll transport (Linux, JNI library shipped in the jar). */
  EPOLL(
      EpollEventLoopGroup::new,
      EpollServerSocketChannel.class,
      EpollSocketChannel.class,
      EpollDatagramChannel.class),
  /** The JDK's NIO, on every platform. */
  NIO(
      NioEventLoopGroup::new,
      NioServerSocketChannel.class,
      NioSocketChannel.class,
      NioDatagramChannel.class);

  private final BiFunction<Integer, ThreadFactory, EventLoopGroup> groups;
  private final Class<? extends ServerSocketChannel> serverSocket;
  private final Class<? extends SocketChannel> socket;
  private final Class<? extends DatagramChannel> datagram;

  IoTransport(
      BiFunction<Integer, ThreadFactory, EventLoopGroup> groups,
      Class<? extends ServerSocketChannel> serverSocket,
      Class<? extends SocketChannel> socket,
      Class<? extends DatagramChannel> datagram) {
    this.groups = groups;
    this.serverSocket = serverSocket;
    this.socket = socket;
    this.datagram = datagram;
  }

  /**
   * {@link #EPOLL} when {@code preference} allows it and Netty's native library loads on this host,
   * else {@link #NIO}.
   */
  public static IoTransport choose(TransportPreference preference) {
    return preference == TransportPreference.AUTO && Epoll.isAvailable() ? EPOLL : NIO;
  }

  /**
   * Why the native transport cannot be used here, for the start-up log; empty when it can (it is
   * then left out only by {@link TransportPreference#NIO}).
   */
  public static String nativeUnavailableCause() {
    Throwable cause = Epoll.unavailabilityCause();
    return cause == null ? "" : cause.toString();
  }

  /** {@code threads} event-loop threads of this transport. */
  EventLoopGroup group(int threads, ThreadFactory threadFactory) {
    return groups.apply(threads, threadFactory);
  }

  /** The TCP server socket channel class that runs on this transport's event loops. */
  public Class<? extends ServerSocketChannel> serverSocket() {
    return serverSocket;
  }

  /** The TCP client socket channel class that runs on this transport's event loops. */
  public Class<? extends SocketChannel> socket() {
    return socket;
  }

  /** The UDP channel class that runs on this transport's event loops. */
  public Class<? extends DatagramChannel> datagram() {
    return datagram;
  }
}
