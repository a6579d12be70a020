package io.haddns.probe.tcp;

import io.haddns.probe.PortProber;
import io.haddns.probe.ProbeFaults;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.ProbeResult.Fault;
import io.haddns.probe.ProbeResult.FaultKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP connect prober: a probe succeeds when the three-way handshake completes, fails {@code
 * refused} on a reset, {@code unreachable} on an ICMP error, {@code timeout} at its deadline. A
 * socket that cannot be created, or a local resource or permission error, is a {@link Fault}, not a
 * failure of the target. Each socket is closed with {@code SO_LINGER} 0, so it ends with a reset
 * and leaves no {@code TIME_WAIT} behind at thousands of probes per second.
 *
 * <p>All connects run on one selector thread; {@link #probe} only queues the request and never
 * blocks. Use {@link #atPort(int)} for a {@link io.haddns.probe.Prober} of one port.
 *
 * <p>Every probe in flight holds a socket, and a closed socket keeps its descriptor until the
 * selector's next turn releases it. The prober holds at most {@code maxSockets} at once: a probe
 * beyond them waits for a socket, in the order asked, for at most half its timeout, and is a {@link
 * FaultKind#DESCRIPTORS} fault after that (its round is inconclusive, the line's health is kept);
 * one that waited that long with sockets free (this thread fell behind) is a {@link
 * FaultKind#STARVED} fault. So a prober that falls behind (thousands of lines, a starved process)
 * never takes the descriptors the rest of the process needs, and a burst of probes larger than the
 * limit (rounds released together after a pause) is spread over the sockets as they free up.
 * Connects are begun at most {@value #BATCH} per turn of the loop, between which finished
 * handshakes are reaped. While probes keep coming the loop turns at least once a millisecond and
 * picks them up then, instead of being woken for each; after {@value #IDLE_TURNS} turns without
 * one, the next probe wakes it.
 */
public final class TcpConnectProber implements PortProber {
  private static final Logger log = LoggerFactory.getLogger(TcpConnectProber.class);
  private static final Fault CLOSED = new Fault(FaultKind.UNAVAILABLE, "tcp prober closed");
  static final int BATCH = 256;
  // Turns without a new probe (each at most a millisecond) after which the loop waits to be woken.
  static final int IDLE_TURNS = 100;

  private final Selector selector;
  private final Queue<Attempt> submitted = new ConcurrentLinkedQueue<>();
  // Selector thread only: attempts in flight by deadline. A finished one leaves at once: left
  // until its deadline, it would wake the loop for nothing every few hundred microseconds at
  // thousands of probes a second, and keep its closed socket reachable for the whole timeout
  // (long enough to be promoted, and collected only by full collections).
  private final TreeSet<Attempt> deadlines =
      new TreeSet<>(
          Comparator.<Attempt>comparingLong(a -> a.deadlineNanos).thenComparingLong(a -> a.seq));
  private long nextSeq;
  // Selector thread only: asked, not begun yet, oldest first.
  private final ArrayDeque<Attempt> waiting = new ArrayDeque<>();
  private final Thread loop;
  private final int maxSockets;
  // Selector thread only: sockets holding a descriptor, and those closed since the last select
  // (their descriptors are released by the next one).
  private int sockets;
  private int closing;
  // Published copies for metrics (any thread).
  private volatile int socketsPublished;
  private volatile int waitingPublished;
  private volatile boolean closed;
  // Selector thread only: turns of the loop in a row that found no new probe.
  private int quietTurns;
  // True while the loop waits without a bound of a millisecond: only then does probe() wake it
  // (a wake-up per probe cost more CPU than the connect at thousands of probes a second).
  private volatile boolean sleeping;

  private TcpConnectProber(Selector selector, int maxSockets) {
    this.selector = selector;
    this.maxSockets = maxSockets;
    this.loop = Thread.ofPlatform().daemon().name("haddns-tcp-probe").unstarted(this::run);
  }

  /** Opens the selector and starts its thread, with no limit of its own on sockets. */
  public static TcpConnectProber open() {
    return open(Integer.MAX_VALUE);
  }

  /**
   * Opens the selector and starts its thread; at most {@code maxSockets} sockets are held at once.
   */
  public static TcpConnectProber open(int maxSockets) {
    if (maxSockets < 1) {
      throw new IllegalArgumentException("tcp prober needs at least one socket, was " + maxSockets);
    }
    try {
      TcpConnectProber prober = new TcpConnectProber(Selector.open(), maxSockets);
      prober.loop.start();
      return prober;
    } catch (IOException e) {
      throw new UncheckedIOException("tcp prober: cannot open a selector", e);
    }
  }

  @Override
  public CompletableFuture<ProbeResult> probe(InetAddress target, int port, Duration timeout) {
    Attempt a = new Attempt(new InetSocketAddress(target, port), System.nanoTime(), timeout);
    if (closed) {
      a.future.complete(CLOSED);
      return a.future;
    }
    submitted.add(a);
    if (sleeping) {
      selector.wakeup();
    }
    return a.future;
  }

  /** Sockets held now (probes in flight and closed ones not yet released), as of the last turn. */
  public int sockets() {
    return socketsPublished;
  }

  /** Probes waiting for a socket now, as of the last turn of the loop. */
  public int waiting() {
    return waitingPublished;
  }

  /** The most sockets held at once. */
  public int maxSockets() {
    return maxSockets;
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      loop.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (!closed) {
        int released = closing;
        closing = 0;
        long wakeAt = nextWake(released);
        long wait = wakeAt == Long.MAX_VALUE ? 0 : millisUntil(wakeAt - System.nanoTime());
        if (wakeAt != Long.MAX_VALUE && wait < 1) {
          selector.selectNow();
        } else if (quietTurns < IDLE_TURNS) {
          // Probes keep coming: look for them every millisecond rather than be woken for each.
          selector.select(wait == 0 ? 1 : Math.min(wait, 1));
        } else {
          sleeping = true;
          if (submitted.isEmpty()) {
            selector.select(wait);
          } else {
            selector.selectNow();
          }
          sleeping = false;
        }
        sockets -= released;
        for (SelectionKey key : selector.selectedKeys()) {
          finish((Attempt) key.attachment());
        }
        selector.selectedKeys().clear();
        quietTurns++;
        for (Attempt a; (a = submitted.poll()) != null; ) {
          waiting.add(a);
          quietTurns = 0;
        }
        long now = System.nanoTime();
        beginWaiting(now);
        expire(now);
        socketsPublished = sockets;
        waitingPublished = waiting.size();
      }
    } catch (IOException | RuntimeException e) {
      log.error("tcp prober: selector loop failed, probes will fail until restart", e);
      closed = true;
    } finally {
      shutdown();
    }
  }

  /**
   * Whole milliseconds to wait for {@code nanos}, rounded up: a deadline less than a millisecond
   * away is waited for, not polled for in a busy loop.
   */
  static long millisUntil(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
  }

  /**
   * When the loop must look again without waiting for the selector: now when attempts wait and
   * sockets are free (after this turn's release) or the earliest deadline has passed; else at the
   * earliest deadline or wait limit; {@link Long#MAX_VALUE} when nothing is pending.
   */
  private long nextWake(int released) {
    long at = Long.MAX_VALUE;
    if (!deadlines.isEmpty()) {
      at = deadlines.first().deadlineNanos;
    }
    Attempt head = waiting.peek();
    if (head != null) {
      at = sockets - released < maxSockets ? System.nanoTime() : Math.min(at, head.waitLimitNanos);
    }
    return at;
  }

  /**
   * Begins waiting attempts while sockets are free, at most {@link #BATCH} in this turn; one that
   * waited past its wait limit is a descriptors fault instead.
   */
  private void beginWaiting(long now) {
    int begun = 0;
    while (begun < BATCH && !waiting.isEmpty()) {
      Attempt a = waiting.peek();
      if (a.waitLimitNanos - now <= 0) {
        waiting.poll();
        complete(a, waitedTooLong(sockets, maxSockets, (now - a.calledNanos) / 1_000_000));
      } else if (sockets < maxSockets) {
        waiting.poll();
        begin(a);
        begun++;
      } else {
        return;
      }
    }
  }

  /**
   * Why a probe waited past its wait limit: the socket limit when it is reached now, else this loop
   * fell behind the probes asked of it (a starved process, or more connects a second than one
   * thread can make here).
   */
  static Fault waitedTooLong(int sockets, int maxSockets, long waitedMillis) {
    if (sockets >= maxSockets) {
      return new Fault(
          FaultKind.DESCRIPTORS, "tcp prober at its limit of " + maxSockets + " sockets in flight");
    }
    return new Fault(
        FaultKind.STARVED,
        "tcp prober behind: the probe waited "
            + waitedMillis
            + " ms for its turn, half its timeout");
  }

  private void begin(Attempt a) {
    try {
      a.channel = SocketChannel.open();
      sockets++;
      a.channel.configureBlocking(false);
      a.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException e) {
      // No socket means no probe: whatever the reason, it is this process's, not the target's.
      complete(
          a,
          ProbeFaults.of(e)
              .orElseGet(
                  () ->
                      new Fault(
                          FaultKind.SOCKET,
                          "socket not created: "
                              + e.getClass().getSimpleName()
                              + ": "
                              + e.getMessage())));
      return;
    }
    try {
      a.started = System.nanoTime();
      if (a.channel.connect(a.address)) {
        complete(a, new ProbeResult.Success(Duration.ofNanos(System.nanoTime() - a.started)));
      } else {
        a.channel.register(selector, SelectionKey.OP_CONNECT, a);
        a.registered = true;
        a.seq = nextSeq++;
        deadlines.add(a);
      }
    } catch (IOException e) {
      complete(a, ProbeFaults.of(e).<ProbeResult>map(f -> f).orElseGet(() -> classify(e)));
    }
  }

  private void finish(Attempt a) {
    try {
      if (a.channel.finishConnect()) {
        complete(a, new ProbeResult.Success(Duration.ofNanos(System.nanoTime() - a.started)));
      }
    } catch (IOException e) {
      complete(a, ProbeFaults.of(e).<ProbeResult>map(f -> f).orElseGet(() -> classify(e)));
    }
  }

  /**
   * Ends the attempts whose deadline has passed. One whose handshake completed before now is a
   * success even though its key was not selected yet: a long turn of this loop (many connects begun
   * at once) must not turn finished handshakes into timeouts of their lines.
   */
  private void expire(long now) {
    while (!deadlines.isEmpty() && deadlines.first().deadlineNanos - now <= 0) {
      Attempt a = deadlines.pollFirst();
      try {
        if (a.channel.finishConnect()) {
          complete(a, new ProbeResult.Success(Duration.ofNanos(System.nanoTime() - a.started)));
          continue;
        }
      } catch (IOException e) {
        complete(a, ProbeFaults.of(e).<ProbeResult>map(f -> f).orElseGet(() -> classify(e)));
        continue;
      }
      complete(a, new Failure(FailureReason.TIMEOUT, "no handshake"));
    }
  }

  private void complete(Attempt a, ProbeResult result) {
    if (a.ended) {
      return;
    }
    a.ended = true;
    if (a.registered) {
      deadlines.remove(a);
    }
    if (a.channel != null) {
      try {
        a.channel.close();
      } catch (IOException e) {
        log.debug("tcp target={} close failed", a.address, e);
      }
      if (a.registered) {
        closing++;
      } else {
        sockets--;
      }
    }
    a.future.complete(result);
  }

  private void shutdown() {
    for (Attempt a; (a = submitted.poll()) != null; ) {
      complete(a, CLOSED);
    }
    for (Attempt a; (a = waiting.poll()) != null; ) {
      complete(a, CLOSED);
    }
    for (Attempt a; (a = deadlines.pollFirst()) != null; ) {
      complete(a, CLOSED);
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("tcp prober: selector close failed", e);
    }
  }

  private static Failure classify(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof NoRouteToHostException || message.contains("unreachable")) {
      return new Failure(FailureReason.UNREACHABLE, message);
    }
    if (e instanceof ConnectException && message.contains("refused")) {
      return new Failure(FailureReason.REFUSED, message);
    }
    if (message.contains("timed out")) {
      return new Failure(FailureReason.TIMEOUT, message);
    }
    return new Failure(FailureReason.ERROR, e.getClass().getSimpleName() + ": " + message);
  }

  /** One connect in progress; fields other than the future are touched by the selector thread. */
  private static final class Attempt {
    final InetSocketAddress address;
    final long calledNanos;
    final long deadlineNanos;
    // How long it may wait for a socket: half its timeout.
    final long waitLimitNanos;
    final CompletableFuture<ProbeResult> future = new CompletableFuture<>();
    SocketChannel channel;
    boolean registered;
    boolean ended;
    long seq;
    long started;

    Attempt(InetSocketAddress address, long calledNanos, Duration timeout) {
      this.address = address;
      this.calledNanos = calledNanos;
      this.deadlineNanos = calledNanos + timeout.toNanos();
      this.waitLimitNanos = calledNanos + timeout.toNanos() / 2;
    }
  }
}
