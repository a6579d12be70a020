package io.haddns.controller.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** IntentTimers driven by hand: tests look at what was scheduled and fire it. */
final class ManualTimers implements IntentTimers {
  record Pending(Runnable task, Duration delay, boolean[] cancelled) {}

  final List<Pending> scheduled = new ArrayList<>();

  @Override
  public Timer schedule(Runnable task, Duration delay) {
    Pending p = new Pending(task, delay, new boolean[1]);
    scheduled.add(p);
    return () -> p.cancelled()[0] = true;
  }

  /** The timers not cancelled, in the order they were set. */
  List<Pending> live() {
    return scheduled.stream().filter(p -> !p.cancelled()[0]).toList();
  }

  /** Fires the live timers (once each). */
  void fireAll() {
    List<Pending> due = live();
    scheduled.clear();
    due.forEach(p -> p.task().run());
  }
}
