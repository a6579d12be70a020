package io.haddns.controller.store;

import io.haddns.controller.dns.RecordKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger log = LoggerFactory.getLogger(AppliedView.class);

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final StoreCodec codec;
  private final Executor viewThread;
  private final Runnable onChanged;
  private final Map<RecordKey, Seen> seen = new HashMap<>();
  // The keys of seen by name: a name node's change verifies its own records only, so a view of
  // 100,000 records takes a name's change in constant time, not a scan of all of them.
  private final Map<String, Set<RecordKey>> seenByName = new HashMap<>();
  private final Map<String, Long> names = new HashMap<>();
  private final Map<RecordKey, AppliedRecord> served = new ConcurrentHashMap<>();

  /**
   * @param viewThread the thread every update runs on
   * @param onChanged told when the served view changed outside {@link #onNode} (after a check)
   */
  AppliedView(
      CuratorFramework client,
      ZkPaths paths,
      StoreCodec codec,
      Executor viewThread,
      Runnable onChanged) {
    this.client = client;
    this.paths = paths;
    this.codec = codec;
    this.viewThread = viewThread;
    this.onChanged = onChanged;
  }

  /** A node under {@code records/} changed; the view to report as changed, if any. */
  Optional<StoreView> onNode(ChildData node) {
    Optional<String> name = paths.recordNameOf(node.getPath());
    if (name.isPresent()) {
      Optional<Long> mzxid = Optional.ofNullable(node.getStat()).map(Stat::getMzxid);
      return name(name.get(), mzxid) ? Optional.of(StoreView.APPLIED) : Optional.empty();
    }
    return paths.recordKeyOf(node.getPath()).flatMap(key -> onRecord(key, node));
  }

  private Optional<StoreView> onRecord(RecordKey key, ChildData node) {
    Optional<AppliedRecord> record = Optional.empty();
    if (node.getData() != null) {
      try {
        record = Optional.of(codec.decodeApplied(node.getData()));
      } catch (RuntimeException e) {
        log.warn("store path={} ignored: unreadable content ({})", node.getPath(), e.getMessage());
        return Optional.empty();
      }
    }
    long mzxid = node.getStat() == null ? 0 : node.getStat().getMzxid();
    return switch (record(key, record, mzxid)) {
      case CHANGED -> Optional.of(StoreView.APPLIED);
      case UNCHANGED -> Optional.empty();
      case UNVERIFIED -> {
        confirmUnverified(key, node.getPath(), mzxid);
        yield Optional.empty();
      }
    };
  }

  /**
   * A record whose zxid differs from its name node's as this view knows it: either the name node's
   * own change is still on its way to this view, or the record was written outside a leader
   * transaction. The name node as ZooKeeper has it now tells which.
   */
  private void confirmUnverified(RecordKey key, String path, long mzxid) {
    String namePath = paths.recordName(key.name());
    try {
      client
          .checkExists()
          .inBackground(
              (c, event) -> viewThread.execute(() -> confirmed(key, path, mzxid, event.getStat())))
          .forPath(namePath);
    } catch (Exception e) {
      log.warn(
          "store path={} not served: unverified, name node unreadable ({})", path, e.toString());
    }
  }

  private void confirmed(RecordKey key, String path, long mzxid, Stat name) {
    if (!mzxid(key).equals(Optional.of(mzxid))) {
      return; // The record changed again meanwhile; that change is checked on its own.
    }
    if (name != null && name.getMzxid() == mzxid) {
      if (name(key.name(), Optional.of(mzxid))) {
        onChanged.run();
      }
      return;
    }
    if (name != null && name.getMzxid() > mzxid) {
      // The name was written again since the record's content was read: a leader transaction,
      // which writes every record it keeps under the name again, so the record's own newer change
      // is on its way to this view and is checked on its own (back-to-back writes of one name
      // reach here). A record written alone is newer than its name node, and is reported below.
      return;
    }
    log.warn(
        "store path={} not served: not written by a leader transaction (zxid 0x{} differs from its"
            + " name node's), the last verified record stays",
        path,
        Long.toHexString(mzxid));
  }

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
      if (seen.remove(key) != null) {
        unindex(key);
      }
      return served.remove(key) != null ? Outcome.CHANGED : Outcome.UNCHANGED;
    }
    if (seen.put(key, new Seen(record.get(), mzxid)) == null) {
      seenByName.computeIfAbsent(key.name(), n -> new HashSet<>()).add(key);
    }
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
    for (RecordKey key : seenByName.getOrDefault(name, Set.of())) {
      changed |= verify(key) == Outcome.CHANGED;
    }
    return changed;
  }

  private void unindex(RecordKey key) {
    Set<RecordKey> keys = seenByName.get(key.name());
    if (keys != null && keys.remove(key) && keys.isEmpty()) {
      seenByName.remove(key.name());
    }
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
    seen.keySet()
        .removeIf(
            key -> {
              if (recordGone.test(key)) {
                unindex(key);
                return true;
              }
              return false;
            });
    return served.keySet().removeIf(recordGone);
  }

  Optional<AppliedRecord> served(RecordKey key) {
    return Optional.ofNullable(served.get(key));
  }

  Map<RecordKey, AppliedRecord> served() {
    return Map.copyOf(served);
  }
}
