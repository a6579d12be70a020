package io.haddns.controller.gateway;

import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.StoreUnavailableException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's audit events on their way to the audit trail: {@link #accept} queues without ever
 * blocking an answer, and one thread hands what has queued up to the sink in batches (one ZooKeeper
 * transaction for many events instead of one write each).
 *
 * <p>Load shedding is never silent: an event that finds the queue full, or a batch the sink could
 * not write, is counted in {@link GatewayObserver#auditShed} and summed up in one WARN line per
 * {@link #WARN_EVERY}.
 *
 * <p>Lifecycle: {@link #start()} starts the thread; {@link #close()} writes what is still queued
 * (bounded by the sink's own timeouts) and stops it. {@link #accept} is thread-safe.
 */
final class AuditQueue implements Consumer<AuditEvent>, AutoCloseable {
  static final int CAPACITY = 65_536;
  static final int BATCH = 2_000;
  static final Duration WARN_EVERY = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(AuditQueue.class);

  private final BlockingQueue<AuditEvent> queue;
  private final Consumer<List<AuditEvent>> sink;
  private final GatewayObserver observer;
  private final InstantSource clock;
  private final AtomicLong shedSinceWarn = new AtomicLong();
  private volatile long lastWarnMillis;
  private volatile boolean closed;
  private Thread thread;

  /**
   * @param sink appends a batch to the audit trail (e.g. {@code store::audit}); may block; throws
   *     {@link StoreUnavailableException} when it cannot
   */
  AuditQueue(
      int capacity,
      Consumer<List<AuditEvent>> sink,
      GatewayObserver observer,
      InstantSource clock) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.sink = sink;
    this.observer = observer;
    this.clock = clock;
    // The first shedding is reported at once, later ones once per interval.
    this.lastWarnMillis = clock.millis() - WARN_EVERY.toMillis();
  }

  void start() {
    thread = Thread.ofPlatform().name("haddns-gateway-audit").daemon().start(this::run);
  }

  @Override
  public void accept(AuditEvent event) {
    if (!queue.offer(event)) {
      shed(1);
    }
  }

  /** Writes up to {@link #BATCH} queued events; false when none was queued. */
  boolean drainOnce() {
    List<AuditEvent> batch = new ArrayList<>();
    queue.drainTo(batch, BATCH);
    write(batch);
    return !batch.isEmpty();
  }

  private void run() {
    while (!closed) {
      try {
        AuditEvent first = queue.poll(1, TimeUnit.SECONDS);
        List<AuditEvent> batch = new ArrayList<>();
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
        }
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    while (drainOnce()) {
      // Flush what was queued before close.
    }
  }

  private void write(List<AuditEvent> batch) {
    if (!batch.isEmpty()) {
      try {
        sink.accept(batch);
      } catch (StoreUnavailableException e) {
        log.debug("audit events={} not written: {}", batch.size(), e.getMessage());
        shed(batch.size());
      }
    }
    warnIfShed();
  }

  private void shed(int events) {
    shedSinceWarn.addAndGet(events);
    observer.auditShed(events);
  }

  private void warnIfShed() {
    long now = clock.millis();
    if (now - lastWarnMillis < WARN_EVERY.toMillis() || shedSinceWarn.get() == 0) {
      return;
    }
    lastWarnMillis = now;
    log.warn(
        "audit events={} not written in the last {} (queue full or ZooKeeper unavailable)",
        shedSinceWarn.getAndSet(0),
        WARN_EVERY);
  }

  @Override
  public void close() {
    closed = true;
    if (thread == null) {
      return;
    }
    try {
      thread.join(WARN_EVERY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
