package io.haddns.controller.dnsserver;

import io.haddns.controller.netty.EventLoops;
import io.haddns.controller.netty.Listener;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's own authoritative DNS server: answers A, AAAA, SOA and NS for the configured zones
 * over UDP and TCP on one port, from a {@link ZoneSource} (in production the replicated applied
 * state, so every node answers the same). It never recurses.
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start(EventLoops)} loads the zones, subscribes
 * to the source's changes and binds TCP and UDP on the node's event loops, {@link #start()} on
 * event loops of its own (either throwing {@link IllegalStateException} naming transport, address
 * and port when a socket cannot be bound); {@link #close()} unbinds, closes its TCP connections and
 * is idempotent. A closed server cannot be restarted. Thread-safe.
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

  /**
   * Datagrams the native transport reads with one {@code recvmmsg}: their buffers make one 32 KiB
   * read buffer, which still comes from Netty's per-thread cache.
   */
  static final int RECVMMSG_BATCH = 8;

  /**
   * Datagrams a UDP socket reads before its answers are sent (one {@code sendmmsg} on the native
   * transport) and its thread turns to its other sockets.
   */
  static final int READS_PER_WAKEUP = 64;

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
  private EventLoops ownLoops;
  private EventLoops loops;
  private Listener tcp;
  private List<Listener> udp = List.of();

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

  /** Loads the zones and binds UDP and TCP on event loops of its own, closed with this server. */
  public synchronized void start() {
    ownLoops = EventLoops.standalone("haddns-dns", this::start);
  }

  /** Loads the zones and binds UDP and TCP on {@code loops}, which outlive this server. */
  public synchronized void start(EventLoops loops) {
    if (state != State.LATENT) {
      throw new IllegalStateException("dns server already " + state.name().toLowerCase());
    }
    state = State.STARTED;
    accepting = true;
    try {
      // Subscribe before the first load so that no change falls between the two.
      source.subscribe(this::refresh);
      catalog.refresh();
      this.loops = loops;
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
      int port = tcp.address().getPort();
      try {
        udp = bindUdp(port);
        return;
      } catch (IllegalStateException e) {
        tcp.close();
        tcp = null;
        if (attempt == EPHEMERAL_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Listener bindTcp(int port) {
    return Listener.tcp(
        loops,
        "dns server",
        settings.host(),
        port,
        new EmbeddedDnsServerInitializer(handler, settings.tcpIdleTimeout(), settings.tcpLimits()),
        b -> b.option(ChannelOption.SO_REUSEADDR, true));
  }

  /**
   * One UDP socket per worker thread, all on {@code port} with {@code SO_REUSEPORT}, so the kernel
   * spreads the queries of different clients over the threads (one socket is read by one thread
   * only). TCP is bound first and without it, so a port another server holds still fails the start.
   */
  private List<Listener> bindUdp(int port) {
    List<Listener> bound = new ArrayList<>();
    try {
      for (int i = 0; i < Math.max(1, loops.workerCount()); i++) {
        bound.add(
            Listener.udp(
                loops,
                "dns server",
                settings.host(),
                port,
                new EmbeddedDnsServerUdpInitializer(handler),
                this::udpOptions));
      }
    } catch (RuntimeException e) {
      bound.forEach(Listener::close);
      throw e;
    }
    return List.copyOf(bound);
  }

  /**
   * A large receive buffer and {@code SO_REUSEPORT}. Netty would read datagrams into 2048-byte
   * buffers and cut longer ones silently, while EDNS queries may be longer (RFC 6891 §6.2.5): each
   * is read into {@link #MAX_DATAGRAM} bytes. On epoll, {@link #RECVMMSG_BATCH} of them with one
   * {@code recvmmsg}, up to {@link #READS_PER_WAKEUP} before the answers are flushed with one
   * {@code sendmmsg} ({@link DnsQueryHandler}); on NIO one per wakeup, each with its own syscalls.
   */
  private Bootstrap udpOptions(Bootstrap b) {
    b.option(ChannelOption.SO_RCVBUF, 1 << 20);
    return switch (loops.transport()) {
      case EPOLL ->
          b.option(EpollChannelOption.SO_REUSEPORT, true)
              .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
              .option(
                  ChannelOption.RCVBUF_ALLOCATOR,
                  new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECVMMSG_BATCH)
                      .maxMessagesPerRead(READS_PER_WAKEUP));
      case NIO ->
          b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
              .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
    };
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
    return udp.get(0).address();
  }

  /** The UDP channels, one per worker thread, for tests; only after {@link #start()}. */
  synchronized List<Channel> udpChannels() {
    requireStarted();
    return udp.stream().map(Listener::channel).toList();
  }

  /** The TCP server channel, for tests; only after {@link #start()}. */
  synchronized Channel tcpChannel() {
    requireStarted();
    return tcp.channel();
  }

  /** The bound TCP address; only after {@link #start()}. */
  public synchronized InetSocketAddress tcpAddress() {
    requireStarted();
    return tcp.address();
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
    if (state != State.STARTED || tcp == null || udp.isEmpty()) {
      throw new IllegalStateException("dns server is not running");
    }
  }

  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasStarted = state == State.STARTED && !udp.isEmpty();
    state = State.CLOSED;
    accepting = false;
    udp.forEach(Listener::close);
    if (tcp != null) {
      tcp.close();
    }
    if (ownLoops != null) {
      ownLoops.close();
    }
    if (wasStarted) {
      log.info("dns server stopped");
    }
  }
}
