package io.haddns.controller.store;

import io.haddns.controller.dns.RecordKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The applied records this node's leader term wrote that its warm view may not show yet. {@link
 * ZkStateStore#putApplied} rewrites a name's other records with every write to the name, and must
 * not rewrite them from a view that lags behind its own previous write (it would drop or revive a
 * record). Entries leave once the view agrees, and all of them when a new term writes. Thread-safe.
 */
final class RecentWrites {
  private final Map<RecordKey, Optional<AppliedRecord>> written = new HashMap<>();
  private long epoch;

  /**
   * The records of {@code keys} that {@code view} holds, corrected by the writes of {@code epoch}
   * it does not show yet; keys held by neither are left out. Looks up only those keys (and the
   * remembered writes), so a write of a few names costs the same with 100,000 applied records.
   */
  synchronized Map<RecordKey, AppliedRecord> overlay(
      long epoch, Function<RecordKey, Optional<AppliedRecord>> view, Collection<RecordKey> keys) {
    if (epoch != this.epoch) {
      written.clear();
      this.epoch = epoch;
    }
    written.entrySet().removeIf(e -> view.apply(e.getKey()).equals(e.getValue()));
    Map<RecordKey, AppliedRecord> out = new HashMap<>();
    for (RecordKey key : keys) {
      Optional<AppliedRecord> held = written.get(key);
      (held != null ? held : view.apply(key)).ifPresent(a -> out.put(key, a));
    }
    return out;
  }

  /** Remembers a committed write of {@code epoch}. */
  synchronized void committed(
      long epoch, Collection<AppliedRecord> upserts, Collection<RecordKey> removals) {
    if (epoch != this.epoch) {
      return;
    }
    upserts.forEach(a -> written.put(a.record().key(), Optional.of(a)));
    removals.forEach(key -> written.put(key, Optional.empty()));
  }
}
