package io.haddns.controller.node;

import java.time.Duration;

/**
 * Timers for acting on operators' intents at the right time (an override's expiry, a step-down's
 * keep-out): a seam so tests drive time by hand. Tasks must be quick (they hand work on).
 */
@FunctionalInterface
interface IntentTimers {

  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Timer {
    void cancel();
  }

  /** Runs {@code task} after {@code delay}. */
  Timer schedule(Runnable task, Duration delay);
}
