package io.haddns.controller.election;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's idle TCP connection to the leader's admin address (docs/architecture.md, "Fast
 * takeover"). When the leader's process ends, by a crash, a kill or an OOM kill, the kernel of its
 * host closes the connection at once; the follower then connects again, and a connection
 * <em>refused</em> says that nothing listens there any more: the process that led is gone. That is
 * reported ({@link Gone#gone}) within a round trip of the process ending, without waiting for its
 * lease to age.
 *
 * <p>Only that sequence counts: a connection that was established, then ended, then a refused
 * connect. A port that refuses from the start (a wrong advertised address, a leader that died
 * before the first connect), a connect that times out (a host down or cut off) and a connection the
 * leader closes while it keeps listening (its idle timeout, a TLS handshake that never came) report
 * nothing: the lease's own detection covers them. A connection that ended within {@code minLife} of
 * being made is retried after a back-off (doubling up to {@code maxBackOff}), so a server that
 * accepts and closes at once costs a few connects, not a loop.
 *
 * <p>Each watched lease has its own platform thread, blocked in a read that never receives data
 * (the follower sends nothing; the admin server answers nothing unasked). {@link #watch} switches
 * to a new lease; {@link #stop} ends the watch. A lease that was reported gone is not watched
 * again.
 */
final class LeaderConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderConnection.class);

  /** Where the end of a leader's process is reported; called on the watch's own thread. */
  @FunctionalInterface
  interface Gone {
    void gone(LeaseRecord lease, String address);
  }

  private final String nodeId;
  private final Duration connectTimeout;
  private final Duration minLife;
  private final Duration maxBackOff;
  private final LongSupplier ticker;
  private final Gone gone;
  private Watch current;
  private LeaseRecord reported;
  private boolean closed;

  /**
   * @param nodeId this node, for thread names and logs
   * @param connectTimeout the limit of one connect
   * @param minLife a connection that lasted less was closed by a live server: retry after a
   *     back-off instead of at once
   * @param maxBackOff the longest back-off between two connects
   * @param ticker monotonic nanoseconds, like {@link System#nanoTime()}
   */
  LeaderConnection(
      String nodeId,
      Duration connectTimeout,
      Duration minLife,
      Duration maxBackOff,
      LongSupplier ticker,
      Gone gone) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.minLife = Objects.requireNonNull(minLife, "minLife");
    this.maxBackOff = Objects.requireNonNull(maxBackOff, "maxBackOff");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.gone = Objects.requireNonNull(gone, "gone");
  }

  /**
   * Watches the process that holds {@code lease} through {@code address} ({@code host:port}); does
   * nothing when it is already watched or was reported gone. Wildcard and unparsable addresses are
   * not watched.
   */
  synchronized void watch(LeaseRecord lease, String address) {
    if (closed || lease.equals(reported)) {
      return;
    }
    if (current != null && current.lease.equals(lease) && current.address.equals(address)) {
      return;
    }
    stop();
    Optional<InetSocketAddress> target = PortProbe.parse(address);
    if (target.isEmpty()) {
      return;
    }
    current = new Watch(lease, address, target.get());
    Thread.ofPlatform().daemon().name("haddns-leader-watch-" + nodeId).start(current::run);
  }

  /** Stops watching (this node leads, or the lease is disabled). */
  synchronized void stop() {
    if (current != null) {
      current.stop();
      current = null;
    }
  }

  private synchronized boolean report(Watch watch) {
    if (closed || current != watch) {
      return false;
    }
    reported = watch.lease;
    current = null;
    return true;
  }

  @Override
  public synchronized void close() {
    closed = true;
    stop();
  }

  /** One watched lease and its connection; its fields other than the socket are fixed. */
  private final class Watch {
    private final LeaseRecord lease;
    private final String address;
    private final InetSocketAddress target;
    private volatile boolean stopped;
    private volatile Socket socket;

    Watch(LeaseRecord lease, String address, InetSocketAddress target) {
      this.lease = lease;
      this.address = address;
      this.target = target;
    }

    void stop() {
      stopped = true;
      Socket s = socket;
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          // Closing to wake the reader: nothing to do.
        }
      }
    }

    void run() {
      boolean hadConnection = false;
      boolean lastShortLived = false;
      Duration backOff = minLife;
      while (!stopped) {
        Socket s = new Socket();
        try {
          s.setTcpNoDelay(true);
          s.connect(target, (int) Math.max(1, connectTimeout.toMillis()));
        } catch (ConnectException e) {
          close(s);
          if (hadConnection && PortProbe.refused(e)) {
            if (!stopped && report(this)) {
              log.warn(
                  "lease node={} connection to leader={} epoch={} at {} closed and the port now"
                      + " refuses connections: its process is gone",
                  nodeId,
                  lease.nodeId(),
                  lease.epoch(),
                  address);
              gone.gone(lease, address);
            }
            return;
          }
          hadConnection = false;
          backOff = pause(backOff);
          continue;
        } catch (IOException e) {
          // Timed out or unreachable: a host down or cut off says nothing here.
          close(s);
          hadConnection = false;
          backOff = pause(backOff);
          continue;
        }
        socket = s;
        if (stopped) {
          close(s);
          return;
        }
        long connectedAt = ticker.getAsLong();
        hadConnection = true;
        awaitEnd(s);
        close(s);
        socket = null;
        // Connect again at once, so that a process that just ended is seen refusing; only a
        // second short-lived connection in a row (a server that accepts and closes) backs off.
        boolean shortLived =
            Duration.ofNanos(ticker.getAsLong() - connectedAt).compareTo(minLife) < 0;
        if (shortLived && lastShortLived) {
          backOff = pause(backOff);
        } else if (!shortLived) {
          backOff = minLife;
        }
        lastShortLived = shortLived;
      }
    }

    /** Blocks until the peer closes or resets the connection, or {@link #stop} closes it. */
    private void awaitEnd(Socket s) {
      byte[] sink = new byte[512];
      try {
        InputStream in = s.getInputStream();
        while (in.read(sink) >= 0) {
          // The admin server sends nothing unasked; whatever comes is dropped.
        }
      } catch (IOException e) {
        // A reset, or our own close.
      }
    }

    private Duration pause(Duration backOff) {
      try {
        Thread.sleep(backOff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
      Duration next = backOff.multipliedBy(2);
      return next.compareTo(maxBackOff) > 0 ? maxBackOff : next;
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }
}
