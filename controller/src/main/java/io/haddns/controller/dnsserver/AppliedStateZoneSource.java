package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ZoneSource} over the cluster's replicated applied state: the records of a zone are the
 * {@link StateStore#applied()} entries whose {@link AppliedRecord#zone()} is that zone. Every node
 * keeps that view warm, so leader and followers answer alike.
 *
 * <p>Register it with the store so changes reach the server, e.g. {@code
 * zkStateStore.addListener(source, executor)}; it forwards notifications that include {@link
 * StoreView#APPLIED}. Thread-safe.
 */
public final class AppliedStateZoneSource implements ZoneSource, StoreView.Listener {
  private final StateStore store;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public AppliedStateZoneSource(StateStore store) {
    this.store = store;
  }

  @Override
  public Map<RecordKey, RecordSet> records(String zone) {
    Map<RecordKey, RecordSet> records = new HashMap<>();
    store
        .applied()
        .forEach(
            (key, applied) -> {
              if (applied.zone().equals(zone)) {
                records.put(key, applied.record());
              }
            });
    return records;
  }

  @Override
  public void subscribe(Runnable onChange) {
    listeners.add(onChange);
  }

  @Override
  public void changed(Set<StoreView> views) {
    if (views.contains(StoreView.APPLIED)) {
      listeners.forEach(Runnable::run);
    }
  }
}
