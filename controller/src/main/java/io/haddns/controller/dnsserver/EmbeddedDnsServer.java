package io.haddns.controller.dnsserver;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's own authoritative DNS server: answers A, AAAA, SOA and NS for the configured zones
 * over UDP and TCP on one port, from a {@link ZoneSource} (in production the replicated applied
 * state, so every node answers the same). It never recurses.
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start()} loads the zones, subscribes to the
 * source's changes and binds TCP and UDP (throwing {@link IllegalStateException} naming transport,
 * address and port when either cannot be bound); {@link #close()} unbinds and is idempotent. A
 * closed server cannot be restarted. Thread-safe.
 *
 * <p>When bound to a wildcard address on a host with several addresses, UDP answers may leave from
 * another address than the query reached; bind to the node's service address in that case.
 */
public final class EmbeddedDnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDnsServer.class);
  private static final int EPHEMERAL_ATTEMPTS = 20;

  /**
   * The largest UDP query read whole. Queries are small (a padded one, RFC 8467, is a few hundred
   * bytes); a longer datagram arrives cut at this size and is answered FORMERR. A 64 KiB buffer per
   * read would leave Netty's per-thread buffer cache (32 KiB) and halve the queries answered per
   * core (docs/benchmarks.md, "Embedded DNS server throughput").
   */
  static final int MAX_DATAGRAM = 4096;

  private enum State {
    LATENT,
    STARTED,
    CLOSED
  }

  private final DnsServerSettings settings;
  private final ZoneSource source;
  private final ZoneCatalog catalog;
  private final DnsQueryHandler handler;
  private State state = State.LATENT;
  private volatile boolean accepting;
  private EventLoopGroup group;
  private Channel tcp;
  private Channel udp;

  public EmbeddedDnsServer(
      DnsServerSettings settings, ZoneSource source, DnsServerObserver observer) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.source = Objects.requireNonNull(source, "source");
    this.catalog = new ZoneCatalog(settings.zones(), settings.soa(), source);
    this.handler =
        new DnsQueryHandler(
            new DnsResponder(catalog, settings.maxUdpPayload()),
            Objects.requireNonNull(observer, "observer"));
  }

  /** Loads the zones and binds UDP and TCP. */
  public synchronized void start() {
    if (state != State.LATENT) {
      throw new IllegalStateException("dns server already " + state.name().toLowerCase());
    }
    state = State.STARTED;
    accepting = true;
    try {
      // Subscribe before the first load so that no change falls between the two.
      source.subscribe(this::refresh);
      catalog.refresh();
      group = new NioEventLoopGroup(2, Thread.ofPlatform().name("haddns-dns-", 0).factory());
      bind();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "dns server listening udp={} tcp={} zones={}",
        udpAddress(),
        tcpAddress(),
        settings.zones().stream().map(ServedZone::name).toList());
  }

  private void bind() {
    if (settings.port() != 0) {
      tcp = bindTcp(settings.port());
      udp = bindUdp(settings.port());
      return;
    }
    // Port 0: one number free for both transports, so clients can fall back from UDP to TCP.
    for (int attempt = 1; ; attempt++) {
      tcp = bindTcp(0);
      int port = ((InetSocketAddress) tcp.localAddress()).getPort();
      try {
        udp = bindUdp(port);
        return;
      } catch (IllegalStateException e) {
        tcp.close().syncUninterruptibly();
        tcp = null;
        if (attempt == EPHEMERAL_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Channel bindTcp(int port) {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(
                new EmbeddedDnsServerInitializer(
                    handler, settings.tcpIdleTimeout(), settings.tcpLimits()));
    return bound("TCP", port, b.bind(settings.host(), port));
  }

  private Channel bindUdp(int port) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, 1 << 20)
            // Netty reads datagrams into 2048-byte buffers by default and cuts longer ones
            // silently; EDNS queries may be longer (RFC 6891 §6.2.5).
            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
            .handler(new EmbeddedDnsServerUdpInitializer(handler));
    return bound("UDP", port, b.bind(settings.host(), port));
  }

  private Channel bound(String transport, int port, ChannelFuture future) {
    future.awaitUninterruptibly();
    if (!future.isSuccess()) {
      String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
      throw new IllegalStateException(
          "dns server cannot listen on "
              + transport
              + " "
              + host
              + ":"
              + port
              + ": "
              + future.cause().getMessage(),
          future.cause());
    }
    return future.channel();
  }

  private void refresh() {
    if (!accepting) {
      return;
    }
    try {
      catalog.refresh();
    } catch (RuntimeException e) {
      log.warn("dns zones not refreshed, still answering from the previous data: {}", e.toString());
    }
  }

  /** The bound UDP address; only after {@link #start()}. */
  public synchronized InetSocketAddress udpAddress() {
    requireStarted();
    return (InetSocketAddress) udp.localAddress();
  }

  /** The bound TCP address; only after {@link #start()}. */
  public synchronized InetSocketAddress tcpAddress() {
    requireStarted();
    return (InetSocketAddress) tcp.localAddress();
  }

  /** The port both transports listen on (the chosen one when configured as 0). */
  public int port() {
    return tcpAddress().getPort();
  }

  /** The current SOA serial of {@code zone}, for status and tests; -1 if not served. */
  public long serial(String zone) {
    return catalog.snapshot(zone).map(ZoneSnapshot::serial).orElse(-1L);
  }

  private void requireStarted() {
    if (state != State.STARTED || tcp == null || udp == null) {
      throw new IllegalStateException("dns server is not running");
    }
  }

  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasStarted = state == State.STARTED && udp != null;
    state = State.CLOSED;
    accepting = false;
    if (udp != null) {
      udp.close().syncUninterruptibly();
    }
    if (tcp != null) {
      tcp.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (wasStarted) {
      log.info("dns server stopped");
    }
  }
}
