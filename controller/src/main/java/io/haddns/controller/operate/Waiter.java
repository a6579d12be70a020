package io.haddns.controller.operate;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition on replicated state; a seam so unit tests never sleep. */
@FunctionalInterface
public interface Waiter {

  /** Returns once {@code condition} holds (true) or {@code timeout} has passed (false). */
  boolean await(BooleanSupplier condition, Duration timeout);

  /** Checks every 5 ms on the calling thread; false when interrupted (the flag is restored). */
  static Waiter polling() {
    return (condition, timeout) -> {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    };
  }
}
