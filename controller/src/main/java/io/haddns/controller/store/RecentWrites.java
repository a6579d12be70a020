package io.haddns.controller.store;

import io.haddns.controller.dns.RecordKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The applied records this node's leader term wrote that its warm view may not show yet. {@link
 * ZkStateStore#putApplied} rewrites a name's other records with every write to the name, and must
 * not rewrite them from a view that lags behind its own previous write (it would drop or revive a
 * record). Entries leave once the view agrees, and all of them when a new term writes. Thread-safe.
 */
final class RecentWrites {
  private final Map<RecordKey, Optional<AppliedRecord>> written = new HashMap<>();
  private long epoch;

  /** {@code view} corrected by the writes of {@code epoch} it does not show yet. */
  synchronized Map<RecordKey, AppliedRecord> overlay(
      long epoch, Map<RecordKey, AppliedRecord> view) {
    if (epoch != this.epoch) {
      written.clear();
      this.epoch = epoch;
    }
    written
        .entrySet()
        .removeIf(e -> Optional.ofNullable(view.get(e.getKey())).equals(e.getValue()));
    Map<RecordKey, AppliedRecord> out = new HashMap<>(view);
    written.forEach(
        (key, record) -> {
          if (record.isPresent()) {
            out.put(key, record.get());
          } else {
            out.remove(key);
          }
        });
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
