package io.haddns.controller.testing;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.ProviderException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A fenced DNS provider in memory, for unit tests; failures can be queued. */
public final class InMemoryDnsProvider implements DnsProvider {
  private final String zone;
  private final Map<RecordKey, RecordSet> records = new TreeMap<>();
  private final Deque<ProviderException> failures = new ArrayDeque<>();
  private final List<List<Change>> applied = new ArrayList<>();
  private long fence;
  private int prepared;
  private final java.util.Set<RecordKey> marked = new java.util.HashSet<>();
  private volatile boolean fencesWrites = true;
  private volatile int maxChangesPerCall = Integer.MAX_VALUE;
  private volatile Runnable afterApply = () -> {};

  public InMemoryDnsProvider(String zone) {
    this.zone = zone;
  }

  /** The next call to claim, list or apply throws {@code e}. */
  public synchronized void failNext(ProviderException e) {
    failures.add(e);
  }

  public synchronized Map<RecordKey, RecordSet> records() {
    return Map.copyOf(records);
  }

  public synchronized void put(RecordSet rs) {
    records.put(rs.key(), rs);
  }

  public synchronized List<List<Change>> appliedBatches() {
    return List.copyOf(applied);
  }

  /** The record of {@code key} carries haddns' ownership mark at this backend. */
  public synchronized void mark(RecordKey key) {
    marked.add(key);
  }

  /** Behave like a backend without a conditional write (claims and applies are not fenced). */
  public void unfenced() {
    fencesWrites = false;
  }

  public synchronized long fence() {
    return fence;
  }

  /** How many times {@link #prepare()} ran (and did not fail). */
  public synchronized int prepared() {
    return prepared;
  }

  @Override
  public synchronized void prepare() throws ProviderException {
    maybeFail();
    prepared++;
  }

  private void maybeFail() throws ProviderException {
    ProviderException e = failures.poll();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public String zone() {
    return zone;
  }

  @Override
  public synchronized java.util.Set<RecordKey> ownedKeys() {
    return java.util.Set.copyOf(marked);
  }

  @Override
  public int maxChangesPerCall() {
    return maxChangesPerCall;
  }

  /** Declare a batch limit (the fake itself accepts any size). */
  public void maxChangesPerCall(int limit) {
    maxChangesPerCall = limit;
  }

  @Override
  public boolean fencesWrites() {
    return fencesWrites;
  }

  @Override
  public synchronized void claim(long epoch) throws ProviderException {
    maybeFail();
    if (fence > epoch) {
      throw new FencedException("zone " + zone + " is held by epoch " + fence);
    }
    fence = epoch;
  }

  @Override
  public synchronized List<RecordSet> list() throws ProviderException {
    maybeFail();
    return List.copyOf(records.values());
  }

  @Override
  public synchronized void apply(List<Change> changes, long epoch) throws ProviderException {
    maybeFail();
    if (fencesWrites && fence != epoch) {
      throw new FencedException("zone " + zone + " is held by epoch " + fence);
    }
    for (Change c : changes) {
      switch (c) {
        case Change.Create cr -> records.put(cr.key(), cr.desired());
        case Change.Update up -> records.put(up.key(), up.desired());
        case Change.Delete d -> records.remove(d.key());
      }
    }
    applied.add(List.copyOf(changes));
    afterApply.run();
  }

  /** Runs {@code hook} after every accepted apply (to lose the leader right after its write). */
  public void afterApply(Runnable hook) {
    afterApply = hook;
  }

  @Override
  public void close() {}
}
