package io.haddns.controller.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultithreadEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-loop threads a node's servers share: one boss thread accepting TCP connections and a
 * few worker threads doing the I/O of every connection and of DNS over UDP. The admin server, the
 * gateway and the embedded DNS server all run on the node's one instance ({@code NodeRuntime} makes
 * it before them and closes it after them); their blocking work runs on worker pools of their own,
 * never here. A server made without one makes and closes its own. The threads run on one {@link
 * IoTransport}, native epoll where it loads, and every channel bound on them must be of that
 * transport's classes ({@link #transport()}). Thread-safe.
 */
public final class EventLoops implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

  /** The worker threads of a server that makes its own event loops. */
  public static final int STANDALONE_WORKERS = 2;

  private final IoTransport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;

  private EventLoops(IoTransport transport, EventLoopGroup boss, EventLoopGroup workers) {
    this.transport = transport;
    this.boss = boss;
    this.workers = workers;
  }

  /** As {@link #start(String, int, TransportPreference)}, native where it loads. */
  public static EventLoops start(String name, int workers) {
    return start(name, workers, TransportPreference.AUTO);
  }

  /**
   * Starts a boss thread named {@code name-accept-…} and {@code workers} worker threads named
   * {@code name-io-…} on the transport {@code preference} allows ({@link IoTransport#choose}), and
   * logs which one.
   */
  public static EventLoops start(String name, int workers, TransportPreference preference) {
    if (workers < 1) {
      throw new IllegalArgumentException("event loops need a worker thread, were " + workers);
    }
    IoTransport transport = IoTransport.choose(Objects.requireNonNull(preference, "preference"));
    EventLoopGroup boss = transport.group(1, new DefaultThreadFactory(name + "-accept"));
    EventLoopGroup io;
    try {
      io = transport.group(workers, new DefaultThreadFactory(name + "-io"));
    } catch (RuntimeException | Error e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    if (transport == IoTransport.NIO && preference == TransportPreference.AUTO) {
      log.info(
          "event loops transport=nio workers={} threads={} nativeUnavailable={}",
          workers,
          name,
          IoTransport.nativeUnavailableCause());
    } else {
      log.info(
          "event loops transport={} workers={} threads={}",
          transport.name().toLowerCase(Locale.ROOT),
          workers,
          name);
    }
    return new EventLoops(transport, boss, io);
  }

  /**
   * Event loops of a server's own, for a server made without the node's: starts them with {@link
   * #STANDALONE_WORKERS} workers, hands them to {@code start} and returns them, or closes them
   * again and rethrows when {@code start} fails.
   */
  public static EventLoops standalone(String name, Consumer<EventLoops> start) {
    EventLoops own = start(name, STANDALONE_WORKERS);
    try {
      start.accept(own);
      return own;
    } catch (RuntimeException | Error e) {
      own.close();
      throw e;
    }
  }

  /** As many worker threads as the node has cores, at least two. */
  public static int defaultWorkers() {
    return Math.max(STANDALONE_WORKERS, Runtime.getRuntime().availableProcessors());
  }

  /** The transport of these threads, whose channel classes every server bound on them uses. */
  public IoTransport transport() {
    return transport;
  }

  /** Accepts TCP connections. */
  public EventLoopGroup boss() {
    return boss;
  }

  /** How many worker threads there are. */
  public int workerCount() {
    return ((MultithreadEventLoopGroup) workers).executorCount();
  }

  /** Serves accepted connections and UDP sockets. */
  public EventLoopGroup workers() {
    return workers;
  }

  /** Stops the threads, closing whatever channels are still open on them, and waits for them. */
  @Override
  public void close() {
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    boss.terminationFuture().syncUninterruptibly();
    workers.terminationFuture().syncUninterruptibly();
  }
}
