package io.haddns.controller.testing;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A StateStore in memory with the same epoch-check semantics, for unit tests. */
public final class InMemoryStateStore implements StateStore {
  private volatile boolean unreachable;
  private final Map<String, LineHealth> health = new ConcurrentHashMap<>();
  private final Map<RecordKey, AppliedRecord> applied = new ConcurrentHashMap<>();
  private final AtomicInteger appliedLookups = new AtomicInteger();
  private final List<AuditEvent> audit = new ArrayList<>();
  private final List<AuditEvent> unfenced = new ArrayList<>();
  private final Map<String, MemberInfo> members = new ConcurrentHashMap<>();
  private volatile long epoch;
  private volatile boolean viewLags;
  private volatile CountDownLatch healthHold;
  private volatile boolean healthWriteHeld;
  private final List<Integer> healthWrites = new ArrayList<>();

  private final Map<String, Long> serials = new ConcurrentHashMap<>();

  /** While set, applied-state writes fail as if the connection to ZooKeeper were lost. */
  public void unreachable(boolean lost) {
    unreachable = lost;
  }

  /** While set, applied writes are accepted but not yet visible in {@link #applied()}. */
  public void lagAppliedView(boolean lag) {
    this.viewLags = lag;
  }

  @Override
  public synchronized long beginTerm(String latchNodePath) {
    return ++epoch;
  }

  @Override
  public long currentEpoch() {
    return epoch;
  }

  private void check(long e) throws NotLeaderException {
    if (e != epoch) {
      throw new NotLeaderException("epoch " + e + " is not current (" + epoch + ")");
    }
  }

  @Override
  public synchronized void putHealth(long e, LineHealth h) throws NotLeaderException {
    check(e);
    health.put(h.line(), h);
  }

  @Override
  public synchronized void putHealth(long e, LineHealth h, AuditEvent event)
      throws NotLeaderException {
    check(e);
    health.put(h.line(), h);
    audit.add(event);
  }

  @Override
  public void putHealth(long e, List<HealthChange> changes) throws NotLeaderException {
    CountDownLatch hold = healthHold;
    if (hold != null) {
      healthWriteHeld = true;
      try {
        hold.await();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while held", interrupted);
      }
    }
    synchronized (this) {
      check(e);
      healthWrites.add(changes.size());
      for (HealthChange c : changes) {
        health.put(c.health().line(), c.health());
        audit.add(c.event());
      }
    }
  }

  /** Holds every batched health write until the returned latch is counted down. */
  public CountDownLatch holdHealthWrites() {
    CountDownLatch hold = new CountDownLatch(1);
    healthHold = hold;
    return hold;
  }

  /** Whether a batched health write has reached the hold set by {@link #holdHealthWrites}. */
  public boolean healthWriteHeld() {
    return healthWriteHeld;
  }

  /** How many transitions each batched health write carried, in order. */
  public synchronized List<Integer> healthWrites() {
    return List.copyOf(healthWrites);
  }

  @Override
  public Map<String, LineHealth> health() {
    return Map.copyOf(health);
  }

  @Override
  public synchronized void putApplied(
      long e, Collection<AppliedRecord> upserts, Collection<RecordKey> removals)
      throws NotLeaderException {
    if (unreachable) {
      throw new StoreUnavailableException("connection lost (test)", null);
    }
    check(e);
    if (viewLags) {
      return;
    }
    for (AppliedRecord a : upserts) {
      serials.merge(a.zone(), 1L, Long::sum);
    }
    for (RecordKey k : removals) {
      AppliedRecord was = applied.get(k);
      if (was != null) {
        serials.merge(was.zone(), 1L, Long::sum);
      }
    }
    upserts.forEach(a -> applied.put(a.record().key(), a));
    removals.forEach(applied::remove);
  }

  @Override
  public long zoneSerial(String zone) {
    return serials.getOrDefault(zone, 0L);
  }

  @Override
  public void advanceSerial(String zone) {
    serials.merge(zone, 1L, Long::sum);
  }

  @Override
  public Map<RecordKey, AppliedRecord> applied() {
    return Map.copyOf(applied);
  }

  @Override
  public Optional<AppliedRecord> applied(RecordKey key) {
    appliedLookups.incrementAndGet();
    return Optional.ofNullable(applied.get(key));
  }

  /**
   * How many single records were looked up ({@link #applied(RecordKey)}), one per planned record.
   */
  public int appliedLookups() {
    return appliedLookups.get();
  }

  @Override
  public synchronized void audit(AuditEvent event) {
    audit.add(event);
    unfenced.add(event);
  }

  /** The events appended without an epoch check. */
  public synchronized List<AuditEvent> unfencedAudit() {
    return List.copyOf(unfenced);
  }

  @Override
  public synchronized void audit(long e, AuditEvent event) throws NotLeaderException {
    check(e);
    audit.add(event);
  }

  @Override
  public synchronized List<AuditEvent> recentAudit(int limit) {
    return List.copyOf(audit.subList(Math.max(0, audit.size() - limit), audit.size()));
  }

  @Override
  public void registerMember(MemberInfo member) {
    members.put(member.nodeId(), member);
  }

  /** Removes a member, as the expiry of its ZooKeeper session would. */
  public void removeMember(String nodeId) {
    members.remove(nodeId);
  }

  @Override
  public List<MemberInfo> members() {
    return List.copyOf(members.values());
  }

  @Override
  public void close() {}
}
