package io.haddns.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.testing.InMemoryDnsProvider;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZoneReconcilerTest {
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);
  private static final Duration RETRY = Duration.ofMillis(200);

  private final InMemoryStateStore store = new InMemoryStateStore();
  private final InMemoryDnsProvider provider = new InMemoryDnsProvider("example.com");
  private final LeaderTerm term = new LeaderTerm();
  private final Map<String, LineState> lines = new HashMap<>();
  private final List<List<io.haddns.controller.plan.Change>> verified =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));
  private ZoneReconciler reconciler;
  private long epoch;

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @BeforeEach
  void setUp() throws Exception {
    RecordConfig app = new RecordConfig(APP, 30, Policy.FAILOVER, List.of("a", "b"), "example.com");
    reconciler = new ZoneReconciler(settings(List.of(app), "node-1").build());
    epoch = store.beginTerm("/latch");
    term.begin(epoch);
    lines.put("a", new LineState("a", Health.UP, List.of(ip("192.0.2.1"))));
    lines.put("b", new LineState("b", Health.UP, List.of(ip("198.51.100.1"))));
  }

  @Test
  void aFollowerPreparesItsProviderOnceAskedAndALeaderDoesNot() {
    assertThat(reconciler.prepare()).isEmpty();
    assertThat(provider.prepared()).as("leading: its term's own writes warm the path").isZero();

    term.end();
    assertThat(reconciler.prepare()).isEmpty();
    assertThat(provider.prepared()).isEqualTo(1);
    assertThat(provider.appliedBatches()).as("nothing written").isEmpty();
    assertThat(provider.fence()).as("no claim").isZero();

    provider.failNext(new TransientProviderException("server 192.0.2.53 unreachable"));
    assertThat(reconciler.prepare()).contains("server 192.0.2.53 unreachable");
  }

  private ZoneReconciler reconciler(
      RecordConfig app, boolean dryRun, Duration guard, InstantSource c) {
    return new ZoneReconciler(
        settings(List.of(app), "node-1")
            .clock(c)
            .dryRun(dryRun)
            .unfencedGuard(guard)
            .verification((zone, changes, at) -> verified.add(changes))
            .build());
  }

  private ZoneReconcilerSettings.Builder settings(List<RecordConfig> records, String nodeId) {
    return ZoneReconcilerSettings.builder("example.com", records)
        .provider(provider)
        .store(store)
        .lines(() -> Map.copyOf(lines))
        .term(term)
        .nodeId(nodeId)
        .clock(clock);
  }

  private static RecordConfig app(boolean adopt) {
    return new RecordConfig(APP, 30, Policy.FAILOVER, List.of("a", "b"), "example.com", adopt);
  }

  private RecordSet foreignApp() throws Exception {
    return new RecordSet(APP, 300, List.of(ip("203.0.113.5")));
  }

  @Test
  void leavesAForeignRecordAloneAndReportsIt() throws Exception {
    provider.put(foreignApp());

    ReconcileResult r = reconciler.reconcile(epoch, true, RETRY);

    assertThat(r).isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(provider.records().get(APP)).isEqualTo(foreignApp());
    assertThat(provider.appliedBatches()).isEmpty();
    assertThat(store.applied()).doesNotContainKey(APP);
    assertThat(reconciler.report().foreign()).containsExactly(APP);
    assertThat(store.recentAudit(10)).anyMatch(e -> e.type().equals("foreign-record"));
  }

  @Test
  void adoptsAForeignRecordWhenTheRecordSaysSo() throws Exception {
    provider.put(foreignApp());
    ZoneReconciler adopting = reconciler(app(true), false, Duration.ZERO, clock);

    assertThat(adopting.reconcile(epoch, true, RETRY))
        .isEqualTo(new ReconcileResult.Applied(0, 1, 0, Duration.ZERO));
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("192.0.2.1"));
    assertThat(adopting.report().foreign()).isEmpty();
  }

  @Test
  void aRecordMarkedAsHaddnsAtTheProviderIsOwned() throws Exception {
    provider.put(foreignApp());
    provider.mark(APP);

    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.Applied.class);
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("192.0.2.1"));
  }

  @Test
  void aCreateReadsTheProviderFirstAndSparesARecordMadeSinceTheLastReadBack() throws Exception {
    lines.put("a", new LineState("a", Health.DOWN, List.of(ip("192.0.2.1"))));
    lines.put("b", new LineState("b", Health.DOWN, List.of(ip("198.51.100.1"))));
    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.NoChanges.class);
    provider.put(foreignApp());
    lines.put("a", new LineState("a", Health.UP, List.of(ip("192.0.2.1"))));

    assertThat(reconciler.reconcile(epoch, false, RETRY))
        .isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(provider.records().get(APP)).isEqualTo(foreignApp());
    assertThat(reconciler.report().foreign()).containsExactly(APP);
  }

  @Test
  void dryRunPlansAgainstTheProviderAndWritesNothing() throws Exception {
    ZoneReconciler dry = reconciler(app(false), true, Duration.ZERO, clock);

    assertThat(dry.reconcile(epoch, false, RETRY)).isEqualTo(new ReconcileResult.Planned(1, 0, 0));
    assertThat(provider.appliedBatches()).isEmpty();
    assertThat(provider.fence()).isZero();
    assertThat(store.applied()).isEmpty();
    assertThat(dry.report().dryRun()).isTrue();
    assertThat(verified).isEmpty();
    assertThat(dry.report().planned()).singleElement().asString().contains("create", "192.0.2.1");
  }

  @Test
  void anUnfencedBackendGetsOneCallPerBatchLimitEachRecordedAsApplied() throws Exception {
    provider.unfenced();
    provider.maxChangesPerCall(2);
    List<RecordConfig> three = new java.util.ArrayList<>();
    for (String n : List.of("a1", "a2", "a3")) {
      three.add(
          new RecordConfig(
              new RecordKey(n + ".example.com", RecordType.A),
              30,
              Policy.FAILOVER,
              List.of("a"),
              "example.com"));
    }
    ZoneReconciler unfenced = new ZoneReconciler(settings(three, "node-1").build());

    assertThat(unfenced.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.Applied.class);

    assertThat(provider.appliedBatches()).extracting(List::size).containsExactly(2, 1);
    assertThat(store.applied()).hasSize(3);
  }

  @Test
  void handsEveryAcceptedApplyToVerification() throws Exception {
    ZoneReconciler verifying = reconciler(app(false), false, Duration.ZERO, clock);

    verifying.reconcile(epoch, true, RETRY);

    assertThat(verified).singleElement().satisfies(c -> assertThat(c).hasSize(1));
  }

  @Test
  void waitsAsLongAsTheBackendAsksWhenThatIsLongerThanTheBackoff() throws Exception {
    provider.failNext(
        new TransientProviderException(
            "rate limited", null, java.util.Optional.of(Duration.ofSeconds(7))));

    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isEqualTo(
            new ReconcileResult.RetryAfter(
                Duration.ofSeconds(7), "rate limited", Duration.ofSeconds(7)));
  }

  @Test
  void passesOnTheBackendsWaitEvenWhenTheBackoffIsLonger() throws Exception {
    provider.failNext(
        new TransientProviderException(
            "throttled", null, java.util.Optional.of(Duration.ofMillis(50))));

    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isEqualTo(new ReconcileResult.RetryAfter(RETRY, "throttled", Duration.ofMillis(50)));
  }

  @Test
  void aNewTermWaitsOutTheGuardBeforeItsFirstWriteToABackendThatCannotFence() throws Exception {
    provider.unfenced();
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    InstantSource moving = () -> now[0];
    ZoneReconciler guarded = reconciler(app(false), false, Duration.ofSeconds(2), moving);

    assertThat(guarded.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.Deferred.class)
        .extracting(r -> ((ReconcileResult.Deferred) r).after())
        .isEqualTo(Duration.ofSeconds(2));
    now[0] = now[0].plusMillis(1500);
    assertThat(guarded.reconcile(epoch, true, RETRY))
        .isEqualTo(
            new ReconcileResult.Deferred(
                Duration.ofMillis(500),
                "the backend cannot fence the previous leader's last write"));
    assertThat(provider.appliedBatches()).isEmpty();
    now[0] = now[0].plusMillis(500);
    assertThat(guarded.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.Applied.class);
  }

  @Test
  void claimsFenceAndCreatesRecordOnFirstReconcile() throws Exception {
    ReconcileResult r = reconciler.reconcile(epoch, true, RETRY);

    assertThat(r).isInstanceOf(ReconcileResult.Applied.class);
    assertThat(provider.fence()).isEqualTo(epoch);
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("192.0.2.1"));
    assertThat(store.applied().get(APP).record().addresses()).containsExactly(ip("192.0.2.1"));
    assertThat(store.applied().get(APP).epoch()).isEqualTo(epoch);
  }

  @Test
  void movesRecordToBackupLineWhenPrimaryGoesDown() throws Exception {
    reconciler.reconcile(epoch, true, RETRY);
    lines.put("a", new LineState("a", Health.DOWN, List.of(ip("192.0.2.1"))));

    assertThat(reconciler.reconcile(epoch, false, RETRY))
        .isEqualTo(new ReconcileResult.Applied(0, 1, 0, Duration.ZERO));
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("198.51.100.1"));
  }

  @Test
  void secondReconcileWithoutChangeWritesNothing() throws Exception {
    reconciler.reconcile(epoch, true, RETRY);
    assertThat(reconciler.reconcile(epoch, false, RETRY))
        .isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(provider.appliedBatches()).hasSize(1);
  }

  @Test
  void doesNotRepeatAChangeWhileTheReplicatedViewLags() throws Exception {
    reconciler.reconcile(epoch, true, RETRY);
    store.lagAppliedView(true);
    lines.put("a", new LineState("a", Health.DOWN, List.of(ip("192.0.2.1"))));

    assertThat(reconciler.reconcile(epoch, false, RETRY))
        .isInstanceOf(ReconcileResult.Applied.class);
    assertThat(reconciler.reconcile(epoch, false, RETRY))
        .isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(provider.appliedBatches()).hasSize(2);
  }

  @Test
  void keepsLastValueWhenEveryLineIsDown() throws Exception {
    reconciler.reconcile(epoch, true, RETRY);
    lines.put("a", new LineState("a", Health.DOWN, List.of(ip("192.0.2.1"))));
    lines.put("b", new LineState("b", Health.DOWN, List.of(ip("198.51.100.1"))));

    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("192.0.2.1"));
  }

  @Test
  void repairsDriftFoundOnReadBack() throws Exception {
    reconciler.reconcile(epoch, true, RETRY);
    provider.put(new RecordSet(APP, 30, List.of(ip("203.0.113.66"))));

    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.Applied.class);
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("192.0.2.1"));
  }

  @Test
  void aRecordCreatedByALeaderLostRightAfterItsWriteIsOwnedByTheNextLeader() throws Exception {
    // The provider has no ownership mark (like RFC 2136): only the applied state says "ours".
    provider.afterApply(() -> store.unreachable(true));
    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.RetryAfter.class);
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("192.0.2.1"));
    provider.afterApply(() -> {});
    store.unreachable(false);
    long next = store.beginTerm("/latch-2");
    term.begin(next);
    ZoneReconciler successor = new ZoneReconciler(settings(List.of(app(false)), "node-2").build());
    lines.put("a", new LineState("a", Health.DOWN, List.of(ip("192.0.2.1"))));

    assertThat(successor.reconcile(next, true, RETRY))
        .isEqualTo(new ReconcileResult.Applied(0, 1, 0, Duration.ZERO));
    assertThat(successor.report().foreign()).isEmpty();
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("198.51.100.1"));
  }

  @Test
  void aCreateThatFailsLeavesNoClaimOfOwnershipBehind() throws Exception {
    provider.failNext(new PermanentProviderException("refused"));

    assertThat(reconciler.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.Failed.class);
    assertThat(store.applied()).doesNotContainKey(APP);
    provider.put(foreignApp());
    ZoneReconciler successor = reconciler(app(false), false, Duration.ZERO, clock);
    assertThat(successor.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(successor.report().foreign()).containsExactly(APP);
  }

  @Test
  void transientFailureAsksForRetryAndWritesNothing() throws Exception {
    provider.failNext(new TransientProviderException("timeout"));
    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isEqualTo(new ReconcileResult.RetryAfter(RETRY, "timeout"));
    assertThat(store.applied()).isEmpty();

    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.Applied.class);
  }

  @Test
  void permanentFailureIsSurfacedAndAudited() throws Exception {
    provider.failNext(new PermanentProviderException("bad key"));
    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isEqualTo(new ReconcileResult.Failed("bad key"));
    assertThat(store.recentAudit(10)).anyMatch(e -> e.type().equals("apply-failed"));
  }

  @Test
  void fencedProviderEndsTheTerm() throws Exception {
    provider.failNext(new FencedException("held by epoch 9"));
    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.NotLeader.class);
  }

  @Test
  void writesNothingOnceTheTermHasEnded() throws Exception {
    term.end();
    assertThat(reconciler.reconcile(epoch, true, RETRY))
        .isInstanceOf(ReconcileResult.NotLeader.class);
    assertThat(provider.appliedBatches()).isEmpty();
    assertThat(provider.fence()).isZero();
  }

  @Test
  void staleEpochIsRefusedByTheStoreAfterANewTerm() throws Exception {
    reconciler.reconcile(epoch, true, RETRY);
    store.beginTerm("/latch-2");
    lines.put("a", new LineState("a", Health.DOWN, List.of(ip("192.0.2.1"))));

    // The provider still holds this node's fence, but ZooKeeper has a newer term.
    assertThat(reconciler.reconcile(epoch, false, RETRY))
        .isInstanceOf(ReconcileResult.NotLeader.class);
  }

  /** A record haddns applied that is no longer configured, at the provider and as applied. */
  private RecordKey appliedButNoLongerConfigured() throws Exception {
    RecordKey old = new RecordKey("old.example.com", RecordType.A);
    RecordSet oldSet = new RecordSet(old, 60, List.of(ip("203.0.113.1")));
    provider.put(oldSet);
    store.putApplied(
        epoch,
        List.of(new AppliedRecord(oldSet, "example.com", epoch, clock.instant())),
        List.of());
    return old;
  }

  @Test
  void deletesRecordsNoLongerConfigured() throws Exception {
    RecordKey old = appliedButNoLongerConfigured();

    reconciler.reconcile(epoch, true, RETRY);

    assertThat(provider.records()).doesNotContainKey(old);
    assertThat(store.applied()).doesNotContainKey(old);
  }

  @Test
  void deletesRecordsNoLongerConfiguredFromTheAppliedStateWithoutAReadBackAndOnlyOnce()
      throws Exception {
    RecordKey old = appliedButNoLongerConfigured();
    reconciler.reconcile(epoch, true, RETRY);
    assertThat(provider.records()).doesNotContainKey(old);
    int batches = provider.appliedBatches().size();

    // Applied again by someone (a lagging view, say): the next plain reconcile deletes it from the
    // applied state it looks up, and one after it has nothing left to delete.
    appliedButNoLongerConfigured();
    reconciler.resetClaim();
    reconciler.reconcile(epoch, false, RETRY);
    reconciler.reconcile(epoch, false, RETRY);

    assertThat(provider.records()).doesNotContainKey(old);
    assertThat(provider.appliedBatches()).hasSize(batches + 1);
  }

  /** A reconciler of {@link #APP} whose recordings run on {@code recorder}. */
  private ZoneReconciler recordingOn(HeldRecorder recorder) {
    return new ZoneReconciler(
        settings(List.of(app(false)), "node-1")
            .recorder(recorder, () -> recorder.failed++)
            .build());
  }

  /** A recorder that holds every recording until the test runs it. */
  private static final class HeldRecorder implements java.util.concurrent.Executor {
    final java.util.Deque<Runnable> held = new java.util.ArrayDeque<>();
    int failed;

    @Override
    public void execute(Runnable r) {
      held.add(r);
    }

    void runAll() {
      for (Runnable r; (r = held.poll()) != null; ) {
        r.run();
      }
    }
  }

  @Test
  void theNextReconcileDoesNotWaitForTheRecordingOfTheLastAndPlansAgainstIt() throws Exception {
    HeldRecorder recorder = new HeldRecorder();
    ZoneReconciler async = recordingOn(recorder);
    assertThat(async.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.Applied.class);
    recorder.runAll(); // the create was claimed before the write; its recording completes it

    lines.put("a", new LineState("a", Health.DOWN, List.of(ip("192.0.2.1"))));
    assertThat(async.reconcile(epoch, false, RETRY))
        .isEqualTo(new ReconcileResult.Applied(0, 1, 0, Duration.ZERO));
    assertThat(store.applied().get(APP).record().addresses())
        .as("not recorded yet")
        .containsExactly(ip("192.0.2.1"));

    // Planned against what was applied, recorded or not: nothing is sent twice.
    int batches = provider.appliedBatches().size();
    assertThat(async.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(provider.appliedBatches()).hasSize(batches);

    lines.put("a", new LineState("a", Health.UP, List.of(ip("192.0.2.1"))));
    assertThat(async.reconcile(epoch, false, RETRY))
        .isEqualTo(new ReconcileResult.Applied(0, 1, 0, Duration.ZERO));
    assertThat(recorder.held).as("the second recording waits for the first").hasSize(1);

    recorder.runAll();
    assertThat(store.applied().get(APP).record().addresses())
        .as("recorded in the order applied")
        .containsExactly(ip("192.0.2.1"));
    assertThat(recorder.failed).isZero();
  }

  @Test
  void theAuditEventOfAnApplyIsWrittenOnTheRecorderAfterTheRecordsItDescribes() throws Exception {
    HeldRecorder recorder = new HeldRecorder();
    movedWithItsRecordingHeld(recorder);
    java.util.function.Predicate<io.haddns.controller.store.AuditEvent> move =
        e -> e.type().equals("apply") && e.detail().contains("update app.example.com");
    assertThat(store.recentAudit(10)).as("not before its records").noneMatch(move);

    recorder.runAll();

    assertThat(store.applied().get(APP).record().addresses()).containsExactly(ip("198.51.100.1"));
    assertThat(store.recentAudit(10)).anyMatch(move);
  }

  /**
   * A reconciler recording on {@code recorder} that created {@link #APP} (recorded), then moved it
   * to line b when a went down: that move's recording is still held.
   */
  private ZoneReconciler movedWithItsRecordingHeld(HeldRecorder recorder) throws Exception {
    ZoneReconciler async = recordingOn(recorder);
    assertThat(async.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.Applied.class);
    recorder.runAll();
    lines.put("a", new LineState("a", Health.DOWN, List.of(ip("192.0.2.1"))));
    assertThat(async.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.Applied.class);
    return async;
  }

  @Test
  void aRecordingThatFailedAsksForAReconcileAndTheNextOneReportsIt() throws Exception {
    HeldRecorder recorder = new HeldRecorder();
    ZoneReconciler async = movedWithItsRecordingHeld(recorder);
    store.unreachable(true);
    recorder.runAll();
    assertThat(recorder.failed).isEqualTo(1);

    assertThat(async.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.RetryAfter.class);

    // The retry reads back: the provider holds the change, so it is recorded from there.
    store.unreachable(false);
    assertThat(async.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.NoChanges.class);
    recorder.runAll();
    assertThat(store.applied().get(APP).record().addresses()).containsExactly(ip("198.51.100.1"));
  }

  @Test
  void aRecordingRefusedForAnEndedTermMakesTheNextReconcileStepDown() throws Exception {
    HeldRecorder recorder = new HeldRecorder();
    ZoneReconciler async = movedWithItsRecordingHeld(recorder);

    store.beginTerm("/another-node"); // another node began a term: this one's writes are refused
    recorder.runAll();

    assertThat(recorder.failed).isEqualTo(1);
    assertThat(async.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.NotLeader.class);
  }

  /** Six records, two per pair of lines (c0/c1 on a/b, c2/c3 on c/d, c4/c5 on e/f), all applied. */
  private ZoneReconciler sixRecordsApplied(boolean[] paused) throws Exception {
    List<RecordConfig> six = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String primary = String.valueOf((char) ('a' + i / 2 * 2));
      String backup = String.valueOf((char) ('b' + i / 2 * 2));
      six.add(
          new RecordConfig(
              new RecordKey("c" + i + ".example.com", RecordType.A),
              30,
              Policy.FAILOVER,
              List.of(primary, backup),
              "example.com"));
    }
    for (int i = 0; i < 6; i++) {
      String line = String.valueOf((char) ('a' + i));
      lines.put(line, new LineState(line, Health.UP, List.of(ip("198.51.100." + (i + 1)))));
    }
    ZoneReconciler six6 =
        new ZoneReconciler(settings(six, "node-1").paused(() -> paused[0]).build());
    assertThat(six6.reconcile(epoch, true, RETRY))
        .isEqualTo(new ReconcileResult.Applied(6, 0, 0, Duration.ZERO));
    return six6;
  }

  private void down(String line) throws Exception {
    lines.put(line, new LineState(line, Health.DOWN, lines.get(line).addresses()));
  }

  private InetAddress at(String name) {
    return provider.records().get(new RecordKey(name, RecordType.A)).addresses().getFirst();
  }

  @Test
  void aPlanWithoutReadBackLooksOnlyAtTheRecordsOfLinesThatChanged() throws Exception {
    ZoneReconciler zone = sixRecordsApplied(new boolean[1]);
    // A resync reads back: this term's writes are then looked up in the store, one by one.
    assertThat(zone.reconcile(epoch, true, RETRY)).isInstanceOf(ReconcileResult.NoChanges.class);
    down("c");
    int before = store.appliedLookups();

    assertThat(zone.reconcile(epoch, false, RETRY))
        .isEqualTo(new ReconcileResult.Applied(0, 2, 0, Duration.ZERO));

    assertThat(store.appliedLookups() - before).isEqualTo(2);
    assertThat(at("c2.example.com")).isEqualTo(ip("198.51.100.4"));
    assertThat(at("c3.example.com")).isEqualTo(ip("198.51.100.4"));
    assertThat(at("c0.example.com")).isEqualTo(ip("198.51.100.1"));
    int settled = store.appliedLookups();
    assertThat(zone.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(store.appliedLookups()).isEqualTo(settled);
  }

  @Test
  void aWriteThatFailedMakesTheNextPlanCoverEveryRecord() throws Exception {
    ZoneReconciler zone = sixRecordsApplied(new boolean[1]);
    down("a");
    provider.failNext(new TransientProviderException("connection reset", null));
    assertThat(zone.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.RetryAfter.class);
    down("c");

    assertThat(zone.reconcile(epoch, false, RETRY))
        .isEqualTo(new ReconcileResult.Applied(0, 4, 0, Duration.ZERO));

    assertThat(at("c0.example.com")).isEqualTo(ip("198.51.100.2"));
    assertThat(at("c1.example.com")).isEqualTo(ip("198.51.100.2"));
    assertThat(at("c2.example.com")).isEqualTo(ip("198.51.100.4"));
  }

  @Test
  void linesThatChangedWhileTheZoneWasPausedAreWrittenOnceItIsResumed() throws Exception {
    boolean[] paused = {false};
    ZoneReconciler zone = sixRecordsApplied(paused);
    paused[0] = true;
    down("e");
    assertThat(zone.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.Paused.class);
    paused[0] = false;

    assertThat(zone.reconcile(epoch, false, RETRY))
        .isEqualTo(new ReconcileResult.Applied(0, 2, 0, Duration.ZERO));
    assertThat(at("c4.example.com")).isEqualTo(ip("198.51.100.6"));
  }

  @Test
  void aLineThatWentDownAndCameBackBetweenTwoPlansChangesNothing() throws Exception {
    ZoneReconciler zone = sixRecordsApplied(new boolean[1]);
    LineState was = lines.get("a");
    down("a");
    lines.put("a", was);

    assertThat(zone.reconcile(epoch, false, RETRY)).isInstanceOf(ReconcileResult.NoChanges.class);
    assertThat(at("c0.example.com")).isEqualTo(ip("198.51.100.1"));
  }
}
