package io.haddns.controller.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Ed25519 verifications per second with every core doing nothing else: the ceiling of any gateway
 * that verifies each report's signature once, before HTTP, JSON and ZooKeeper take their share. One
 * thread per core, each repeating the gateway's own check of a signed report (warm-up first).
 */
final class VerifyCeiling {
  private VerifyCeiling() {}

  /** Verifications per second over {@code window}; fails if a check does not verify. */
  static double perSecond(List<BooleanSupplier> checks, Duration warmUp, Duration window)
      throws InterruptedException {
    int threads = Runtime.getRuntime().availableProcessors();
    AtomicBoolean counting = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder verified = new LongAdder();
    LongAdder refused = new LongAdder();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      BooleanSupplier check = checks.get(t % checks.size());
      workers.add(
          Thread.ofPlatform()
              .name("verify-ceiling-" + t)
              .start(
                  () -> {
                    while (!stop.get()) {
                      boolean ok = check.getAsBoolean();
                      if (counting.get()) {
                        (ok ? verified : refused).increment();
                      }
                    }
                  }));
    }
    Thread.sleep(warmUp.toMillis());
    counting.set(true);
    long start = System.nanoTime();
    Thread.sleep(window.toMillis());
    counting.set(false);
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    if (refused.sum() > 0) {
      throw new AssertionError(refused.sum() + " signatures did not verify");
    }
    return verified.sum() * 1e9 / elapsed;
  }
}
