package io.haddns.controller.testing;

import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillStore;
import io.haddns.controller.store.IntentConflictException;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.Versioned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * {@link DrillStore} in memory, with the ZooKeeper store's compare-and-set and fencing: a leader
 * write whose epoch is not {@code currentEpoch} is refused. Listeners are kept, never called (tests
 * step by hand); the view may be made to lag behind the writes ({@link #lagging}). Audit events are
 * collected.
 */
public final class InMemoryDrillStore implements DrillStore {
  private final LongSupplier currentEpoch;
  private final Map<String, Versioned<Drill>> drills = new HashMap<>();
  private final List<AuditEvent> events = new ArrayList<>();
  private int parentVersion;
  private Map<String, Versioned<Drill>> frozen;
  private Runnable race;

  public InMemoryDrillStore(LongSupplier currentEpoch) {
    this.currentEpoch = currentEpoch;
  }

  @Override
  public synchronized Map<String, Versioned<Drill>> drills() {
    return frozen != null ? frozen : Map.copyOf(drills);
  }

  /**
   * While set, {@link #drills()} keeps showing what it showed when set, as a ZooKeeper view does
   * until the change notification of a write arrives; writes still check the real versions.
   */
  public synchronized void lagging(boolean lag) {
    frozen = lag ? Map.copyOf(drills) : null;
  }

  @Override
  public synchronized int drillsVersion() {
    return parentVersion;
  }

  /** The audit events written with the drills, oldest first. */
  public synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  @Override
  public synchronized void start(Drill drill, int expectedParent, AuditEvent event)
      throws IntentConflictException {
    if (expectedParent != parentVersion || drills.containsKey(drill.id())) {
      throw new IntentConflictException("drills changed");
    }
    parentVersion++;
    drills.put(drill.id(), new Versioned<>(drill, 0));
    events.add(event);
  }

  /**
   * Runs {@code other} (the leader's write) right before the next operator update is checked, as if
   * it had landed between the caller's read and its write.
   */
  public synchronized void raceNextUpdate(Runnable other) {
    this.race = other;
  }

  @Override
  public synchronized void update(Drill drill, int expectedVersion, AuditEvent event)
      throws IntentConflictException {
    Runnable other = race;
    race = null;
    if (other != null) {
      other.run();
    }
    put(drill, expectedVersion);
    events.add(event);
  }

  @Override
  public synchronized void advance(long epoch, Drill drill, int expectedVersion, AuditEvent event)
      throws NotLeaderException, IntentConflictException {
    if (epoch != currentEpoch.getAsLong()) {
      throw new NotLeaderException("epoch " + epoch + " is over");
    }
    put(drill, expectedVersion);
    if (event != null) {
      events.add(event);
    }
  }

  @Override
  public synchronized void remove(long epoch, String id, int expectedVersion)
      throws NotLeaderException, IntentConflictException {
    if (epoch != currentEpoch.getAsLong()) {
      throw new NotLeaderException("epoch " + epoch + " is over");
    }
    Versioned<Drill> now = drills.get(id);
    if (now == null || now.version() != expectedVersion) {
      throw new IntentConflictException(id + " changed");
    }
    drills.remove(id);
  }

  private void put(Drill drill, int expectedVersion) throws IntentConflictException {
    Versioned<Drill> now = drills.get(drill.id());
    if (now == null || now.version() != expectedVersion) {
      throw new IntentConflictException(drill.id() + " changed");
    }
    drills.put(drill.id(), new Versioned<>(drill, expectedVersion + 1));
  }

  @Override
  public void addDrillListener(Runnable listener, Executor executor) {}
}
