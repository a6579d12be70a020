package io.haddns.controller.gateway;

import io.haddns.controller.store.AddressCommit;
import io.haddns.controller.store.AddressSubmission;
import io.haddns.controller.store.LineAddressReport;
import io.haddns.controller.store.LineAddressState;
import io.haddns.controller.store.LineAddressStore;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.StoreView;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/** {@link LineAddressStore} in memory with the same sequence rules; can be made unavailable. */
final class MemoryLineAddressStore implements LineAddressStore {
  private final InstantSource clock;
  private final Map<String, LineAddressState> lines = new HashMap<>();
  private final Map<String, Long> sequences = new HashMap<>();
  volatile boolean unavailable;
  int writes;

  MemoryLineAddressStore(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public synchronized AddressCommit putLineAddress(AddressSubmission s) {
    if (unavailable) {
      throw new StoreUnavailableException("test: ZooKeeper down", null);
    }
    long last = sequences.getOrDefault(s.agent(), 0L);
    long sequence = s.sequence().orElse(last + 1);
    if (sequence <= last) {
      return new AddressCommit.Stale(last);
    }
    LineAddressState before = lines.getOrDefault(s.line(), LineAddressState.empty(s.line()));
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
  public void addListener(StoreView.Listener listener, Executor executor) {}
}
