package io.haddns.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.testing.InMemoryDnsProvider;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The recording of what a zone's reconciles applied, held back by a {@link RecordingPause} until
 * the zone's reconciles pause: with a real recorder thread and real waits (an IT for that).
 */
class RecordingPauseIT {
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);
  private static final Duration RETRY = Duration.ofMillis(200);
  private static final InetAddress A = address("192.0.2.1");
  private static final InetAddress B = address("198.51.100.1");

  private final InMemoryStateStore store = new InMemoryStateStore();
  private final InMemoryDnsProvider provider = new InMemoryDnsProvider("example.com");
  private final LeaderTerm term = new LeaderTerm();
  private final Map<String, LineState> lines = new ConcurrentHashMap<>();
  private final ExecutorService recorderThread = Executors.newSingleThreadExecutor();
  private final ExecutorService reconcilingThread = Executors.newSingleThreadExecutor();
  private long epoch;

  @BeforeEach
  void setUp() {
    epoch = store.beginTerm("/latch");
    term.begin(epoch);
    line("a", Health.UP, A);
    line("b", Health.UP, B);
  }

  @AfterEach
  void stopThreads() {
    recorderThread.shutdownNow();
    reconcilingThread.shutdownNow();
  }

  @Test
  void aRecordingWaitsForTheZonesNextWriteToEndAndForAPauseAfterIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try {
      ZoneReconciler paused =
          recordingAfter(new RecordingPause(Duration.ofMillis(100), Duration.ofSeconds(30)));
      assertThat(paused.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.Applied.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> store.applied().containsKey(APP));

      // Moved to b; the next write (back to a) begins within the pause and takes a while.
      line("a", Health.DOWN, A);
      assertThat(paused.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.Applied.class);
      provider.afterApply(
          () -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      line("a", Health.UP, A);
      Future<ReconcileResult> back =
          reconcilingThread.submit(() -> paused.reconcile(epoch, false, RETRY));
      Thread.sleep(600);
      assertThat(recordedAddresses())
          .as("the move to b is not recorded while the write after it is under way")
          .containsExactly(A);

      release.countDown();
      assertThat(back.get(10, TimeUnit.SECONDS)).isInstanceOf(ReconcileResult.Applied.class);
      drainRecorder();
      assertThat(recordedAddresses())
          .as("both moves recorded, in the order applied: the last one holds")
          .containsExactly(A);
      assertThat(provider.appliedBatches()).hasSize(3);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aReadBackDoesNotWaitOutThePauseOfTheRecordingsItNeedsDone() throws Exception {
    ZoneReconciler paused =
        recordingAfter(new RecordingPause(Duration.ofMinutes(1), Duration.ofMinutes(1)));
    assertThat(paused.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.Applied.class);
    line("a", Health.DOWN, A);
    assertThat(paused.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.Applied.class);
    assertThat(recordedAddresses())
        .as("the move's recording waits for its pause")
        .containsExactly(A);

    // A read-back compares the provider with the recorded state: it has the recordings run now.
    assertThat(
            reconcilingThread
                .submit(() -> paused.reconcile(epoch, true, RETRY))
                .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(recordedAddresses()).containsExactly(B);
  }

  /**
   * A reconciler of {@link #APP} (line a, else b) recording on its own thread after {@code pause}.
   */
  private ZoneReconciler recordingAfter(RecordingPause pause) {
    RecordConfig app = new RecordConfig(APP, 30, Policy.FAILOVER, List.of("a", "b"), "example.com");
    return new ZoneReconciler(
        ZoneReconcilerSettings.builder("example.com", List.of(app))
            .provider(provider)
            .store(store)
            .lines(() -> Map.copyOf(lines))
            .term(term)
            .nodeId("node-1")
            .clock(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")))
            .recorder(recorderThread, () -> {})
            .recordingPause(pause)
            .build());
  }

  /**
   * Returns once the recorder has run every recording handed to it. A recording chained after one
   * under way reaches the recorder's queue only when that one ends, behind anything queued
   * meanwhile: one empty task per recording that may still be pending (three applies here).
   */
  private void drainRecorder() throws Exception {
    for (int i = 0; i < 3; i++) {
      recorderThread.submit(() -> {}).get(10, TimeUnit.SECONDS);
    }
  }

  private List<InetAddress> recordedAddresses() {
    return store.applied().get(APP).record().addresses();
  }

  private void line(String name, Health health, InetAddress address) {
    lines.put(name, new LineState(name, health, List.of(address)));
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
