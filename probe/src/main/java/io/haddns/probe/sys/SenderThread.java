package io.haddns.probe.sys;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One thread that sends what the probers' callers queue, in the order queued, so that the kernel's
 * work for a packet — for a target on this host, its answer too — runs on this thread rather than
 * on the probe engine's, whose round starts it would delay.
 *
 * @param <T> a queued request
 */
public final class SenderThread<T> {
  private static final long IDLE_PARK_NANOS = 100_000_000;

  private final Queue<T> queue = new ConcurrentLinkedQueue<>();
  private final Consumer<T> send;
  private final Consumer<T> refuse;
  private final Thread thread;
  private volatile boolean stopped;

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
    LockSupport.unpark(thread);
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

  private void run() {
    while (!stopped) {
      T r = queue.poll();
      if (r == null) {
        LockSupport.parkNanos(IDLE_PARK_NANOS);
      } else {
        send.accept(r);
      }
    }
  }
}
