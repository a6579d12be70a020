package io.haddns.controller.reconcile;

import io.haddns.controller.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Runs the reconciler's work on the test thread, and its timers when the test moves the clock. */
final class ManualScheduling implements ReconcileScheduling {
  private record Timed(Instant due, long seq, Runnable task) {}

  private final SettableClock clock;
  private final Deque<Runnable> ready = new ArrayDeque<>();
  private final List<Timed> timers = new ArrayList<>();
  private long seq;

  ManualScheduling(SettableClock clock) {
    this.clock = clock;
  }

  @Override
  public void execute(Runnable task) {
    ready.add(task);
  }

  @Override
  public Timer schedule(Runnable task, Duration delay) {
    Timed t = new Timed(clock.instant().plus(delay), seq++, task);
    timers.add(t);
    return () -> timers.remove(t);
  }

  /** Runs the work handed over so far, and whatever it hands over in turn. */
  void runReady() {
    Runnable r;
    while ((r = ready.poll()) != null) {
      r.run();
    }
  }

  /** Moves the clock, firing every timer that falls due on the way, in order. */
  void advance(Duration d) {
    Instant until = clock.instant().plus(d);
    runReady();
    while (true) {
      Optional<Timed> next =
          timers.stream()
              .filter(t -> !t.due().isAfter(until))
              .min(Comparator.comparing(Timed::due).thenComparing(Timed::seq));
      if (next.isEmpty()) {
        break;
      }
      timers.remove(next.get());
      Duration step = Duration.between(clock.instant(), next.get().due());
      if (step.isPositive()) {
        clock.advance(step);
      }
      next.get().task().run();
      runReady();
    }
    Duration rest = Duration.between(clock.instant(), until);
    if (rest.isPositive()) {
      clock.advance(rest);
    }
  }

  @Override
  public void close() {
    ready.clear();
    timers.clear();
  }
}
