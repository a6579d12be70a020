package io.haddns.controller.reconcile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link Reconciler} runs zone work and waits: a seam so tests drive time by hand.
 *
 * <p>Threading: both methods are safe from any thread and return at once. After {@link #close()}
 * new work is silently dropped (the node is shutting down).
 */
interface ReconcileScheduling extends AutoCloseable {

  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Timer {
    void cancel();
  }

  /** Runs {@code task} on a worker thread soon. */
  void execute(Runnable task);

  /** Runs {@code task} (it must be quick: it should only hand work on) after {@code delay}. */
  Timer schedule(Runnable task, Duration delay);

  @Override
  void close();

  /**
   * {@code workers} platform threads {@code haddns-reconciler-N} for zone work and one {@code
   * haddns-reconciler} thread for timers, all daemons.
   */
  static ReconcileScheduling pooled(int workers) {
    return new Pooled(workers);
  }

  /** Real threads; see {@link #pooled(int)}. */
  final class Pooled implements ReconcileScheduling {
    private static final Logger log = LoggerFactory.getLogger(Pooled.class);
    private final ScheduledExecutorService timers;
    private final ThreadPoolExecutor workers;

    private Pooled(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be ≥ 1: " + workers);
      }
      this.timers =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("haddns-reconciler").factory());
      AtomicInteger n = new AtomicInteger();
      this.workers =
          (ThreadPoolExecutor)
              Executors.newFixedThreadPool(
                  workers,
                  r ->
                      Thread.ofPlatform()
                          .daemon()
                          .name("haddns-reconciler-" + n.incrementAndGet())
                          .unstarted(r));
    }

    @Override
    public void execute(Runnable task) {
      try {
        workers.execute(task);
      } catch (RejectedExecutionException e) {
        log.debug("reconciler work dropped: stopped");
      }
    }

    @Override
    public Timer schedule(Runnable task, Duration delay) {
      try {
        ScheduledFuture<?> f = timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      } catch (RejectedExecutionException e) {
        log.debug("reconciler timer dropped: stopped");
        return () -> {};
      }
    }

    @Override
    public void close() {
      timers.shutdownNow();
      workers.shutdownNow();
      try {
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("reconciler did not stop within 5s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
