package io.haddns.controller.testing;

import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.IntentConflictException;
import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StepDownRequest;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.Versioned;
import io.haddns.controller.store.ZonePause;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * An IntentStore in memory with ZooKeeper's compare-and-set semantics; audit events go to the given
 * store's unfenced trail together with the intent (both or neither), the expiry's fenced one is
 * checked against its epoch.
 */
public final class InMemoryIntentStore implements IntentStore {
  private final StateStore audit;
  private final Map<String, Versioned<LineOverride>> overrides = new HashMap<>();
  private final Map<String, Versioned<ZonePause>> pauses = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private Optional<StepDownRequest> stepDown = Optional.empty();
  private volatile boolean unavailable;
  private Runnable race;

  public InMemoryIntentStore(StateStore audit) {
    this.audit = audit;
  }

  /** While set, every write fails as if ZooKeeper had no quorum. */
  public void unavailable(boolean down) {
    this.unavailable = down;
  }

  /**
   * Runs {@code other} (another node's write) right before the next compare-and-set is checked, as
   * if it had landed between the caller's read and its write.
   */
  public synchronized void raceNextWrite(Runnable other) {
    this.race = other;
  }

  @Override
  public synchronized Map<String, Versioned<LineOverride>> overrides() {
    return Map.copyOf(overrides);
  }

  @Override
  public synchronized Map<String, Versioned<ZonePause>> pauses() {
    return Map.copyOf(pauses);
  }

  @Override
  public synchronized Optional<StepDownRequest> stepDown() {
    return stepDown;
  }

  @Override
  public void putOverride(LineOverride override, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    synchronized (this) {
      put(overrides, override.line(), override, expectedVersion);
      audit.audit(event);
    }
    fire();
  }

  @Override
  public void removeOverride(String line, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    synchronized (this) {
      remove(overrides, line, expectedVersion);
      audit.audit(event);
    }
    fire();
  }

  @Override
  public void expireOverride(long epoch, String line, int version, AuditEvent event)
      throws NotLeaderException, IntentConflictException {
    synchronized (this) {
      checkAvailable();
      if (epoch != audit.currentEpoch()) {
        throw new NotLeaderException("epoch " + epoch + " is over");
      }
      remove(overrides, line, version);
      audit.audit(epoch, event);
    }
    fire();
  }

  @Override
  public void putPause(ZonePause pause, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    synchronized (this) {
      put(pauses, pause.zone(), pause, expectedVersion);
      audit.audit(event);
    }
    fire();
  }

  @Override
  public void removePause(String zone, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    synchronized (this) {
      remove(pauses, zone, expectedVersion);
      audit.audit(event);
    }
    fire();
  }

  @Override
  public void requestStepDown(StepDownRequest request, AuditEvent event) {
    synchronized (this) {
      checkAvailable();
      stepDown = Optional.of(request);
      audit.audit(event);
    }
    fire();
  }

  @Override
  public void clearStepDown(String id) {
    synchronized (this) {
      if (stepDown.isEmpty() || !stepDown.get().id().equals(id)) {
        return;
      }
      stepDown = Optional.empty();
    }
    fire();
  }

  @Override
  public void addIntentListener(Runnable listener, Executor executor) {
    listeners.add(() -> executor.execute(listener));
  }

  private <T> void put(Map<String, Versioned<T>> map, String key, T value, int expected)
      throws IntentConflictException {
    checkAvailable();
    runRace();
    Versioned<T> now = map.get(key);
    int version = now == null ? Versioned.ABSENT : now.version();
    if (version != expected) {
      throw new IntentConflictException(key + " is at version " + version + ", not " + expected);
    }
    map.put(key, new Versioned<>(value, version + 1));
  }

  private <T> void remove(Map<String, Versioned<T>> map, String key, int expected)
      throws IntentConflictException {
    checkAvailable();
    runRace();
    Versioned<T> now = map.get(key);
    if (now == null || now.version() != expected) {
      throw new IntentConflictException(key + " changed meanwhile");
    }
    map.remove(key);
  }

  private void runRace() {
    Runnable r = race;
    race = null;
    if (r != null) {
      r.run();
    }
  }

  private void checkAvailable() {
    if (unavailable) {
      throw new StoreUnavailableException("no ZooKeeper quorum (test)", null);
    }
  }

  private void fire() {
    listeners.forEach(Runnable::run);
  }
}
