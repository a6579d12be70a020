package io.haddns.controller.reconcile;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WritesUnderWayTest {
  private static final long FAR = Duration.ofMinutes(5).toNanos();
  private final WritesUnderWay underWay = new WritesUnderWay();

  @Test
  void aRecordingGoesOnAtOnceWhenNoWriteIsUnderWay() {
    underWay.begin();
    underWay.end();

    underWay.awaitNone(System.nanoTime() + FAR); // returns: nothing to wait for
  }

  @Test
  void aRecordingPastItsDeadlineGoesOnDuringAWrite() {
    underWay.begin();

    underWay.awaitNone(System.nanoTime() - 1);
  }

  @Test
  void aRecordingWaitsUntilTheLastWriteUnderWayEnds() throws Exception {
    underWay.begin();
    underWay.begin();
    AtomicReference<Thread> waiter = new AtomicReference<>();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    CompletableFuture<Void> recording =
        CompletableFuture.runAsync(
            () -> {
              waiter.set(Thread.currentThread());
              underWay.awaitNone(System.nanoTime() + FAR);
            },
            thread);
    await()
        .until(() -> waiter.get() != null && waiter.get().getState() == Thread.State.TIMED_WAITING);

    underWay.end();
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !recording.isDone()); // one write is still under way
    underWay.end();

    recording.get(10, TimeUnit.SECONDS);
    thread.shutdown();
  }
}
