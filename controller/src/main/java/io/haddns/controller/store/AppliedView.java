package io.haddns.controller.store;

import io.haddns.controller.dns.RecordKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The applied records this node serves, kept apart from what {@code records/} merely holds: a
 * record node counts only while its modification zxid equals that of its name node ({@code
 * records/<name>}), i.e. both were written by one transaction. The leader writes a name's node and
 * every record under it in one fenced transaction ({@link ZkStateStore#putApplied}); a lone {@code
 * set} or {@code create} of a record node, from anyone able to write to ZooKeeper, gives the record
 * a zxid of its own and is not served. A record that does not verify keeps its last verified
 * content, if any (tampering does not change the answer), until the leader writes the name again.
 *
 * <p>Updated on the store's view thread only; {@link #served()} may be read from any thread.
 */
final class AppliedView {
  /** What a record node held when last seen, and its modification zxid. */
  private record Seen(AppliedRecord record, long mzxid) {}

  private final Map<RecordKey, Seen> seen = new HashMap<>();
  private final Map<String, Long> names = new HashMap<>();
  private final Map<RecordKey, AppliedRecord> served = new ConcurrentHashMap<>();

  /** The outcome of an event for the served view. */
  enum Outcome {
    UNCHANGED,
    CHANGED,
    /** The record does not verify against its name node as this view knows it. */
    UNVERIFIED
  }

  /** A record node was written ({@code record} present) or deleted. */
  Outcome record(RecordKey key, Optional<AppliedRecord> record, long mzxid) {
    if (record.isEmpty()) {
      seen.remove(key);
      return served.remove(key) != null ? Outcome.CHANGED : Outcome.UNCHANGED;
    }
    seen.put(key, new Seen(record.get(), mzxid));
    return verify(key);
  }

  /** A name node was written ({@code mzxid} present) or deleted. */
  boolean name(String name, Optional<Long> mzxid) {
    if (mzxid.isEmpty()) {
      names.remove(name);
      return false;
    }
    names.put(name, mzxid.get());
    boolean changed = false;
    for (RecordKey key : seen.keySet()) {
      if (key.name().equals(name)) {
        changed |= verify(key) == Outcome.CHANGED;
      }
    }
    return changed;
  }

  /** The modification zxid of a record node as last seen, if present. */
  Optional<Long> mzxid(RecordKey key) {
    return Optional.ofNullable(seen.get(key)).map(Seen::mzxid);
  }

  private Outcome verify(RecordKey key) {
    Seen s = seen.get(key);
    Long stamp = names.get(key.name());
    if (stamp == null || stamp != s.mzxid()) {
      return Outcome.UNVERIFIED;
    }
    AppliedRecord was = served.put(key, s.record());
    return s.record().equals(was) ? Outcome.UNCHANGED : Outcome.CHANGED;
  }

  /** Drops records and names that the predicates say are gone; true if the served view changed. */
  boolean prune(Predicate<RecordKey> recordGone, Predicate<String> nameGone) {
    names.keySet().removeIf(nameGone);
    seen.keySet().removeIf(recordGone);
    return served.keySet().removeIf(recordGone);
  }

  Map<RecordKey, AppliedRecord> served() {
    return Map.copyOf(served);
  }
}
