package io.haddns.controller.store;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes store view changes on to a listener at most once per {@code period}, on {@code scheduler}:
 * the changes seen meanwhile are merged into one call. For a listener that walks a whole view on
 * each call (every line's health, say): called once per ZooKeeper event, it would cost the number
 * of lines for each of thousands of line changes when a region fails at once. A change is passed on
 * within {@code period} of when it was seen. Thread-safe; the listener is never called concurrently
 * with itself as long as {@code scheduler} runs one task at a time.
 */
public final class ThrottledListener implements StoreView.Listener {
  private static final Logger log = LoggerFactory.getLogger(ThrottledListener.class);

  private final StoreView.Listener listener;
  private final ScheduledExecutorService scheduler;
  private final long periodNanos;
  private final Set<StoreView> pending = EnumSet.noneOf(StoreView.class);
  private boolean scheduled;

  public ThrottledListener(
      StoreView.Listener listener, ScheduledExecutorService scheduler, Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("throttle period must be positive, was " + period);
    }
    this.listener = listener;
    this.scheduler = scheduler;
    this.periodNanos = period.toNanos();
  }

  @Override
  public void changed(Set<StoreView> views) {
    synchronized (pending) {
      pending.addAll(views);
      if (scheduled || pending.isEmpty()) {
        return;
      }
      scheduled = true;
    }
    try {
      scheduler.schedule(this::deliver, periodNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The node is stopping: nobody reads what the listener would have kept.
      log.debug("store listener throttle stopped, changes dropped views={}", views);
    }
  }

  private void deliver() {
    Set<StoreView> views;
    synchronized (pending) {
      views = EnumSet.copyOf(pending);
      pending.clear();
      scheduled = false;
    }
    try {
      listener.changed(views);
    } catch (RuntimeException e) {
      log.warn("store listener failed views={}", views, e);
    }
  }
}
