package io.haddns.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconcileActivityIT {
  private final ReconcileActivity activity = new ReconcileActivity();

  private static long millisOf(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private void await(Duration quiet, Duration atMost) {
    try {
      activity.await(quiet, atMost);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private CompletableFuture<Long> awaitingAsync(Duration quiet, Duration atMost) {
    return CompletableFuture.supplyAsync(() -> millisOf(() -> await(quiet, atMost)));
  }

  @Test
  void doesNotWaitWhenTheZoneWasNeverReconciled() {
    assertThat(millisOf(() -> await(Duration.ofSeconds(5), Duration.ofSeconds(5))))
        .isLessThan(1000);
  }

  @Test
  void waitsUntilTheLastReconcileEndedAQuietPeriodAgo() {
    activity.begin();
    activity.end();

    assertThat(millisOf(() -> await(Duration.ofMillis(300), Duration.ofSeconds(10))))
        .isBetween(250L, 5000L);
  }

  @Test
  void waitsForAReconcileUnderWayToEndThenForTheQuietPeriod() throws Exception {
    activity.begin();
    CompletableFuture<Long> waited = awaitingAsync(Duration.ofMillis(100), Duration.ofSeconds(30));
    Thread.sleep(400);
    assertThat(waited).as("held while the reconcile is under way").isNotDone();

    activity.end();

    assertThat(waited.get(10, TimeUnit.SECONDS)).isBetween(450L, 10_000L);
  }

  @Test
  void waitsNoLongerThanItsLimitWhileReconcilesGoOn() {
    activity.begin();

    assertThat(millisOf(() -> await(Duration.ofMillis(100), Duration.ofMillis(400))))
        .isBetween(350L, 5000L);
  }

  @Test
  void aHurryEndsTheWaitAtOnceAndOnlyWhileItLasts() throws Exception {
    activity.begin();
    CompletableFuture<Long> waited = awaitingAsync(Duration.ofSeconds(30), Duration.ofSeconds(30));
    Thread.sleep(200);

    activity.hurry();
    assertThat(waited.get(10, TimeUnit.SECONDS)).isLessThan(10_000L);
    activity.unhurry();

    CompletableFuture<Long> next = awaitingAsync(Duration.ofSeconds(30), Duration.ofSeconds(30));
    Thread.sleep(300);
    assertThat(next).as("waits again once the hurry is over").isNotDone();
    activity.hurry();
    next.get(10, TimeUnit.SECONDS);
  }
}
