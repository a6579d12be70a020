package io.haddns.controller.testing;

import io.haddns.controller.store.AddressCommit;
import io.haddns.controller.store.AddressSubmission;
import io.haddns.controller.store.CommitOutcomeUnknownException;
import io.haddns.controller.store.LineAddressReport;
import io.haddns.controller.store.LineAddressState;
import io.haddns.controller.store.LineAddressStore;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.StoreView;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * {@link LineAddressStore} in memory with the same sequence rules; can be made unavailable. Tells
 * listeners of changed addresses, like the ZooKeeper store.
 */
public final class MemoryLineAddressStore implements LineAddressStore {
  private final InstantSource clock;
  private final Map<String, LineAddressState> lines = new HashMap<>();
  private final Map<String, Long> sequences = new HashMap<>();
  public volatile boolean unavailable;

  /** Commits, then throws {@link CommitOutcomeUnknownException}, as when the answer is lost. */
  public volatile boolean unknownOutcome;

  public int writes;
  private final List<Map.Entry<StoreView.Listener, Executor>> listeners =
      new CopyOnWriteArrayList<>();

  public MemoryLineAddressStore(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public AddressCommit putLineAddress(AddressSubmission s) {
    AddressCommit commit = commit(s);
    if (commit instanceof AddressCommit.Committed c && c.changed()) {
      for (var l : listeners) {
        l.getValue().execute(() -> l.getKey().changed(Set.of(StoreView.ADDRESSES)));
      }
    }
    if (unknownOutcome) {
      throw new CommitOutcomeUnknownException("test: connection lost after the commit", null);
    }
    return commit;
  }

  private synchronized AddressCommit commit(AddressSubmission s) {
    if (unavailable) {
      throw new StoreUnavailableException("test: ZooKeeper down", null);
    }
    long last = sequences.getOrDefault(s.agent(), 0L);
    long sequence = s.sequence().orElse(last + 1);
    LineAddressState before = lines.getOrDefault(s.line(), LineAddressState.empty(s.line()));
    if (sequence <= last) {
      // Like the ZooKeeper store: the very report last committed is acknowledged again.
      return before
          .report(s.family())
          .filter(
              r ->
                  sequence == last
                      && r.sequence() == sequence
                      && r.agent().equals(s.agent())
                      && Set.copyOf(r.addresses()).equals(Set.copyOf(s.addresses()))
                      && r.observedAt().equals(s.observedAt()))
          .<AddressCommit>map(r -> new AddressCommit.Committed(r, false))
          .orElse(new AddressCommit.Stale(last));
    }
    LineAddressReport r =
        new LineAddressReport(
            s.line(),
            s.family(),
            s.addresses(),
            s.observedAt(),
            sequence,
            s.agent(),
            s.receivedBy(),
            clock.instant());
    boolean changed =
        before.report(s.family()).map(o -> !o.addresses().equals(r.addresses())).orElse(true);
    lines.put(s.line(), before.with(r));
    sequences.put(s.agent(), sequence);
    writes++;
    return new AddressCommit.Committed(r, changed);
  }

  @Override
  public synchronized Map<String, LineAddressState> lineAddresses() {
    return Map.copyOf(lines);
  }

  @Override
  public void addListener(StoreView.Listener listener, Executor executor) {
    listeners.add(Map.entry(listener, executor));
  }
}
