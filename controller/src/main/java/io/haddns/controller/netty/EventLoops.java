package io.haddns.controller.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The event-loop threads a node's servers share: one boss thread accepting TCP connections and a
 * few worker threads doing the I/O of every connection and of DNS over UDP. The admin server, the
 * gateway and the embedded DNS server all run on the node's one instance ({@code NodeRuntime} makes
 * it before them and closes it after them); their blocking work runs on worker pools of their own,
 * never here. A server made without one makes and closes its own. Thread-safe.
 */
public final class EventLoops implements AutoCloseable {
  /** The worker threads of a server that makes its own event loops. */
  public static final int STANDALONE_WORKERS = 2;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;

  private EventLoops(EventLoopGroup boss, EventLoopGroup workers) {
    this.boss = boss;
    this.workers = workers;
  }

  /**
   * Starts a boss thread named {@code name-accept-…} and {@code workers} worker threads named
   * {@code name-io-…}.
   */
  public static EventLoops start(String name, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("event loops need a worker thread, were " + workers);
    }
    return new EventLoops(
        new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept")),
        new NioEventLoopGroup(workers, new DefaultThreadFactory(name + "-io")));
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

  /** Accepts TCP connections. */
  public EventLoopGroup boss() {
    return boss;
  }

  /** How many worker threads there are. */
  public int workerCount() {
    return ((io.netty.channel.MultithreadEventLoopGroup) workers).executorCount();
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
