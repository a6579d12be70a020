package io.haddns.controller.reconcile;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreUnavailableException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a zone's planned changes to the provider and records them as applied in ZooKeeper, fenced
 * by the term. A record about to be created is recorded as applied before the provider is asked, so
 * a leader lost right after its write leaves a record the next leader still knows as haddns'.
 *
 * <p>Recording what the provider accepted runs on the zone's recorder, in order, so that the next
 * reconcile need not wait for it (recording 50,000 records takes seconds): the zone's read-back
 * view already counts the changes ({@link ZoneReadBack#recorded}), every other write of the zone's
 * applied state first waits for the recordings before it ({@link #awaitRecorded}), and a recording
 * that fails is reported by the next reconcile ({@link #checkRecorded}) after the zone was asked to
 * be reconciled again. A recording lost with its process (the provider holds the change, ZooKeeper
 * not yet) is found by the next term's read-back. Confined to the zone's reconciling thread, except
 * the recordings themselves.
 */
final class ZoneWrites {
  // Logs as the zone's reconciler: operators follow one zone's reconcile under one logger name.
  private static final Logger log = LoggerFactory.getLogger(ZoneReconciler.class);

  private final String zone;
  private final DnsProvider provider;
  private final StateStore store;
  private final LeaderTerm term;
  private final InstantSource clock;
  private final ZoneReadBack view;
  private final Executor recorder;
  private final Runnable recordingFailed;
  private CompletableFuture<Void> recordings = CompletableFuture.completedFuture(null);
  private final AtomicReference<Unrecorded> unrecorded = new AtomicReference<>();
  private final RecordingPause pause;
  private final ReconcileActivity activity = new ReconcileActivity();

  /** A recording that failed, and the term that sent it. */
  private record Unrecorded(
      long epoch, RuntimeException storeFailure, NotLeaderException notLeader) {}

  ZoneWrites(
      String zone,
      DnsProvider provider,
      StateStore store,
      LeaderTerm term,
      InstantSource clock,
      ZoneReadBack view,
      Executor recorder,
      RecordingPause pause,
      Runnable recordingFailed) {
    this.zone = zone;
    this.provider = provider;
    this.store = store;
    this.term = term;
    this.clock = clock;
    this.view = view;
    this.recorder = recorder;
    this.pause = pause;
    this.recordingFailed = recordingFailed;
  }

  /**
   * Throws, once, the failure of an earlier recording of term {@code epoch}: {@link
   * NotLeaderException} when the term was over, {@link StoreUnavailableException} otherwise.
   */
  void checkRecorded(long epoch) throws NotLeaderException {
    Unrecorded u = unrecorded.getAndSet(null);
    if (u == null || u.epoch() != epoch) {
      return;
    }
    if (u.notLeader() != null) {
      throw u.notLeader();
    }
    throw new StoreUnavailableException(
        "zone " + zone + ": applied changes not recorded: " + u.storeFailure().getMessage(),
        u.storeFailure());
  }

  /**
   * Waits until every recording sent so far has ended (they skip their {@link RecordingPause}),
   * then {@link #checkRecorded}.
   */
  void awaitRecorded(long epoch) throws NotLeaderException {
    activity.hurry();
    try {
      recordings.exceptionally(e -> null).join();
    } finally {
      activity.unhurry();
    }
    checkRecorded(epoch);
  }

  /**
   * Runs one reconcile of the zone, its planning included: a recording waiting for its {@link
   * RecordingPause} waits for it to end.
   */
  <T> T reconciling(java.util.function.Supplier<T> reconcile) {
    activity.begin();
    try {
      return reconcile.get();
    } finally {
      activity.end();
    }
  }

  /** Applies {@code changes} for {@code epoch} and records them as applied. */
  void apply(List<Change> changes, long epoch)
      throws ProviderException, NotLeaderException, LeadershipDoubtedException {
    view.writing(changes);
    if (provider.fencesWrites()) {
      List<AppliedRecord> claimed = claimCreates(epoch, changes);
      try {
        applyReadingBackAfterPartialFailure(changes, epoch, claimed);
      } catch (ProviderException e) {
        if (changes.size() <= callSize()) {
          // One message failed whole; a batch of several was read back, claims included.
          releaseClaims(epoch, claimed);
        }
        throw e;
      }
      recordApplied(epoch, changes);
    } else {
      applyInCalls(changes, epoch);
    }
  }

  private int callSize() {
    return Math.max(1, provider.maxChangesPerCall());
  }

  /**
   * A backend that cannot fence gets one call per {@link DnsProvider#maxChangesPerCall()} changes,
   * each bounded by the provider's time limit and preceded by a term check, and each recorded as
   * applied once accepted: a stale leader's last write is at most one call, and a large change does
   * not need one long call.
   */
  private void applyInCalls(List<Change> changes, long epoch)
      throws ProviderException, NotLeaderException, LeadershipDoubtedException {
    int size = callSize();
    for (int from = 0; from < changes.size(); from += size) {
      if (!term.isCurrent(epoch)) {
        throw new NotLeaderException("term " + epoch + " ended during a multi-call apply");
      }
      if (!term.mayWrite(epoch)) {
        throw new LeadershipDoubtedException(epoch);
      }
      List<Change> call = changes.subList(from, Math.min(changes.size(), from + size));
      List<AppliedRecord> claimed = claimCreates(epoch, call);
      try {
        provider.apply(call, epoch);
      } catch (ProviderException e) {
        releaseClaims(epoch, claimed);
        throw e;
      }
      recordApplied(epoch, call);
    }
  }

  /**
   * A batch larger than one call may go out as several messages, and only each message is atomic:
   * when a later one fails, the zone is read back at once so the applied state shows what the
   * server holds, not what it held before the batch.
   */
  private void applyReadingBackAfterPartialFailure(
      List<Change> changes, long epoch, List<AppliedRecord> claimed) throws ProviderException {
    try {
      provider.apply(changes, epoch);
    } catch (PermanentProviderException | TransientProviderException e) {
      if (changes.size() > callSize()) {
        try {
          awaitRecorded(epoch);
          Map<RecordKey, RecordSet> held = view.readProvider();
          view.syncAppliedView(epoch, held);
          List<RecordKey> gone = new ArrayList<>();
          changes.stream()
              .filter(c -> c instanceof Change.Delete && !held.containsKey(c.key()))
              .map(Change::key)
              .filter(store.applied()::containsKey)
              .forEach(gone::add);
          // Claimed for a create that did not happen (the view may not show the claim yet).
          claimed.stream()
              .map(a -> a.record().key())
              .filter(k -> !held.containsKey(k))
              .forEach(gone::add);
          if (!gone.isEmpty()) {
            store.putApplied(epoch, List.of(), gone);
          }
        } catch (ProviderException | NotLeaderException | StoreUnavailableException again) {
          log.warn(
              "zone={} applied state not read back after a failed batch: {}",
              zone,
              again.getMessage());
        }
      }
      throw e;
    }
  }

  /**
   * Records the records about to be created as applied, fenced, before the provider is asked: a
   * leader lost between its provider write and {@link #recordApplied} would otherwise leave a
   * record that no later leader recognises as haddns' on a backend without ownership marks (RFC
   * 2136), and that record would be left alone as foreign for good. Returns what was claimed, so a
   * failed apply can release it.
   */
  private List<AppliedRecord> claimCreates(long epoch, List<Change> changes)
      throws NotLeaderException {
    if (changes.stream().noneMatch(c -> c instanceof Change.Create)) {
      return List.of();
    }
    // Decided on the applied state with every earlier recording in it (a delete not yet recorded
    // would otherwise hide that a re-created record needs its claim).
    awaitRecorded(epoch);
    Instant now = clock.instant();
    Map<RecordKey, AppliedRecord> applied = store.applied();
    List<AppliedRecord> claims = new ArrayList<>();
    for (Change c : changes) {
      if (c instanceof Change.Create cr && !applied.containsKey(cr.key())) {
        claims.add(new AppliedRecord(cr.desired(), zone, epoch, now));
      }
    }
    if (!claims.isEmpty()) {
      store.putApplied(epoch, claims, List.of());
    }
    return claims;
  }

  /**
   * After a failed apply, drops the claims of records that were to be created and that the provider
   * does not hold, as far as this node can still write; what it cannot drop the next read-back
   * repairs.
   */
  private void releaseClaims(long epoch, List<AppliedRecord> claims) {
    if (claims.isEmpty()) {
      return;
    }
    try {
      awaitRecorded(epoch);
      store.putApplied(epoch, List.of(), claims.stream().map(a -> a.record().key()).toList());
    } catch (NotLeaderException | StoreUnavailableException e) {
      log.warn(
          "zone={} claims of {} records to create not released after a failed apply: {}",
          zone,
          claims.size(),
          e.getMessage());
    }
  }

  private void recordApplied(long epoch, List<Change> changes) throws NotLeaderException {
    Instant now = clock.instant();
    List<AppliedRecord> upserts = new ArrayList<>();
    List<RecordKey> removals = new ArrayList<>();
    for (Change c : changes) {
      switch (c) {
        case Change.Create cr -> upserts.add(new AppliedRecord(cr.desired(), zone, epoch, now));
        case Change.Update up -> upserts.add(new AppliedRecord(up.desired(), zone, epoch, now));
        case Change.Delete d -> removals.add(d.key());
      }
    }
    view.recorded(upserts, removals);
    try {
      recordings = recordings.thenRunAsync(() -> record(epoch, upserts, removals), recorder);
    } catch (RejectedExecutionException e) {
      record(epoch, upserts, removals); // the node is stopping: record here, as far as it can
    }
    if (recordings.isDone()) {
      checkRecorded(epoch); // recorded already (a recorder of the calling thread): report it now
    }
  }

  /**
   * Runs {@code task} on the zone's recorder once the recordings handed over so far have ended: the
   * audit event of an apply follows the records it describes, and the zone's next reconcile does
   * not wait for ZooKeeper to take it (behind tens of thousands of records being recorded, that
   * took half a second).
   */
  void afterRecordings(Runnable task) {
    // A stage that threw would make every later recording of the chain be skipped.
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("zone={} task after the recordings failed", zone, e);
          }
        };
    try {
      recordings = recordings.thenRunAsync(guarded, recorder);
    } catch (RejectedExecutionException e) {
      guarded.run(); // the node is stopping: here, as far as it can
    }
  }

  /**
   * On the recorder: waits for a pause in the zone's reconciles ({@link RecordingPause}), so that
   * recording a large batch does not take the CPU from the writes that follow it. Interrupted (the
   * node is stopping), it records at once.
   */
  private void awaitPause() {
    if (pause.none()) {
      return;
    }
    try {
      activity.await(pause.quiet(), pause.atMost());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** On the recorder: one batch of applied changes into ZooKeeper; a failure is kept. */
  private void record(long epoch, List<AppliedRecord> upserts, List<RecordKey> removals) {
    Unrecorded failed;
    try {
      awaitPause();
      store.putApplied(epoch, upserts, removals);
      return;
    } catch (NotLeaderException e) {
      failed = new Unrecorded(epoch, null, e);
    } catch (RuntimeException e) {
      failed = new Unrecorded(epoch, e, null);
    }
    unrecorded.set(failed);
    log.warn(
        "zone={} epoch={} {} applied changes not recorded: {}; the zone is reconciled again",
        zone,
        epoch,
        upserts.size() + removals.size(),
        failed.notLeader() != null ? failed.notLeader().getMessage() : failed.storeFailure());
    recordingFailed.run();
  }
}
