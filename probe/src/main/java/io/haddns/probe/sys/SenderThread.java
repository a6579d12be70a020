package io.haddns.probe.sys;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that sends what the probers' callers queue, in the order queued, so that the kernel's
 * work for a packet — for a target on this host, its answer too — runs on this thread rather than
 * on the probe engine's, whose round starts it would delay. A request waits at most about {@value
 * #BUSY_PARK_NANOS} ns while others keep coming; the first after a quiet spell is sent at once.
 *
 * @param <T> a queued request
 */
public final class SenderThread<T> {
  private static final Logger log = LoggerFactory.getLogger(SenderThread.class);

  /** While requests keep coming: how long the thread sleeps between two rounds of sending. */
  static final long BUSY_PARK_NANOS = 1_000_000;

  /** Empty rounds in a row after which the thread sleeps until woken. */
  static final int IDLE_ROUNDS = 100;

  private static final long IDLE_PARK_NANOS = 100_000_000;

  private final Queue<T> queue = new ConcurrentLinkedQueue<>();
  private final Consumer<T> send;
  private final Consumer<T> refuse;
  private final Thread thread;
  private volatile boolean stopped;
  // True while the thread sleeps until woken: only then does submit() wake it.
  private volatile boolean sleeping;

  /**
   * @param name names the thread {@code haddns-<name>}
   * @param send sends one request, on this thread
   * @param refuse answers a request left queued when the thread stops
   */
  public SenderThread(String name, Consumer<T> send, Consumer<T> refuse) {
    this.send = send;
    this.refuse = refuse;
    this.thread = Thread.ofPlatform().daemon().name("haddns-" + name).unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  /** Queues {@code request}; never blocks. After {@link #stop()} it is refused at once. */
  public void submit(T request) {
    if (stopped) {
      refuse.accept(request);
      return;
    }
    queue.add(request);
    if (sleeping) {
      LockSupport.unpark(thread);
    }
    if (stopped && queue.remove(request)) {
      refuse.accept(request);
    }
  }

  /** Stops the thread, waits for it, and refuses what was still queued. */
  public void stop() {
    stopped = true;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (T r; (r = queue.poll()) != null; ) {
      refuse.accept(r);
    }
  }

  // A request whose sending threw is refused, and the thread goes on with the next one: the
  // probers' callers wait on every request's answer.
  private void sendOne(T r) {
    try {
      send.accept(r);
    } catch (RuntimeException e) {
      log.error("sender={} failed on a request, refusing it", thread.getName(), e);
      refuse.accept(r);
    }
  }

  // Waking the thread for every request (a futex call and a context switch each) cost more CPU
  // than sending the packet at thousands of probes a second; so while requests come, it sends what
  // has queued up once a millisecond, and only a thread idle for a while is woken by submit().
  private void run() {
    int emptyRounds = 0;
    while (!stopped) {
      boolean sent = false;
      for (T r; !stopped && (r = queue.poll()) != null; ) {
        sendOne(r);
        sent = true;
      }
      emptyRounds = sent ? 0 : emptyRounds + 1;
      if (emptyRounds < IDLE_ROUNDS) {
        LockSupport.parkNanos(BUSY_PARK_NANOS);
      } else {
        sleeping = true;
        if (queue.isEmpty() && !stopped) {
          LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
        sleeping = false;
        emptyRounds = 0;
      }
    }
  }
}
