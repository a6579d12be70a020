package io.haddns.controller.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;

/**
 * Leader writes (line health, applied records, the leader's audit events): each batch of mutations
 * becomes one or more multi-op transactions that all start with {@code check(epoch, version =
 * token)}, so a stale leader writes nothing. Large batches are cut into chunks below ZooKeeper's
 * request size limit. Whether a node exists is first taken from the warm view (no round trips); if
 * the view was behind and the transaction fails on a missing or existing node, the chunk is retried
 * with existence read from the server.
 *
 * <p>The chunks of a large batch overlap: up to {@value #PIPELINE} transactions are in flight at
 * once (ZooKeeper applies one session's requests in the order they were sent), so the next chunk is
 * on its way while one is applied. Not more: ZooKeeper orders every write behind those already
 * queued, the leader's lease renewals included, and with eight chunks of 500 operations in flight a
 * loaded quorum confirmed renewals late enough to put the term in doubt every second (171 doubts in
 * a 5,000-line outage benchmark, 20 with two; recording took as long). The last chunk, which
 * carries a batch's zone serials and notifications, is sent only once every chunk before it has
 * been applied.
 */
final class FencedWrites {
  sealed interface Mutation {
    String path();
  }

  /** Create or overwrite {@code path}; {@code parent} is created (as a container) if missing. */
  record Upsert(String path, String parent, byte[] data) implements Mutation {}

  /** Delete {@code path} if present. */
  record Remove(String path) implements Mutation {}

  /** Create a persistent-sequential node named {@code path} + counter (an audit entry). */
  record Append(String path, byte[] data) implements Mutation {}

  /**
   * A leader audit event, {@code data} its encoding and {@code atMillis} its time; {@code trail} is
   * the audit parent. The events of one chunk become one node at its end: a lone one {@code
   * e-<millis>-<seq>}, several a batch {@code l-<millis>-<n>-<seq>} holding them in order as a JSON
   * array, {@code millis} the newest one's. When a region fails, thousands of health changes are
   * then a few dozen audit nodes to create, list and later trim, not one each.
   */
  record Event(String trail, long atMillis, byte[] data) implements Mutation {
    @Override
    public String path() {
      return trail;
    }
  }

  /**
   * Write {@code data} to {@code path}, creating it as a container if missing; mutations of this
   * chunk that have it as parent then find it created. Its modification zxid marks the transaction.
   */
  record Stamp(String path, byte[] data) implements Mutation {}

  /** Mutations that must land in one transaction: never cut apart into different chunks. */
  record Together(List<Mutation> mutations) implements Mutation {
    Together {
      mutations = List.copyOf(mutations);
      if (mutations.isEmpty() || mutations.stream().anyMatch(Together.class::isInstance)) {
        throw new IllegalArgumentException("a group holds one or more plain mutations");
      }
    }

    @Override
    public String path() {
      return mutations.get(0).path();
    }
  }

  private static final int MAX_ATTEMPTS = 3;
  private static final int PIPELINE = 2;
  private static final int OP_OVERHEAD_BYTES = 64;

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final ZkCall zk;
  private final StoreSettings settings;
  private final Predicate<String> viewExists;
  // What a chunk's audit node adds besides its events: the create, its name, the array's brackets.
  private final int eventNodeBytes;

  FencedWrites(
      CuratorFramework client,
      ZkPaths paths,
      ZkCall zk,
      StoreSettings settings,
      Predicate<String> viewExists) {
    this.client = client;
    this.paths = paths;
    this.zk = zk;
    this.settings = settings;
    this.viewExists = viewExists;
    this.eventNodeBytes =
        OP_OVERHEAD_BYTES + paths.leaderAuditBatchPrefix(Long.MIN_VALUE, 1).length() + 32;
  }

  void apply(long epoch, List<? extends Mutation> mutations) throws NotLeaderException {
    List<List<Mutation>> chunks = chunks(mutations);
    int last = chunks.size() - 1;
    for (int from = 0; from < last; from += PIPELINE) {
      applyTogether(epoch, chunks.subList(from, Math.min(last, from + PIPELINE)));
    }
    applyChunk(epoch, chunks.get(last));
  }

  /** Sends {@code window}'s chunks at once; one that failed on a stale view is retried alone. */
  private void applyTogether(long epoch, List<List<Mutation>> window) throws NotLeaderException {
    if (window.size() == 1) {
      applyChunk(epoch, window.get(0));
      return;
    }
    int token = fencingVersion(epoch);
    List<ZkCall.Op> sends = new ArrayList<>(window.size());
    for (List<Mutation> chunk : window) {
      List<CuratorOp> ops = ops(token, chunk, viewExists);
      sends.add(cb -> client.transaction().inBackground(cb).forOperations(ops));
    }
    List<CuratorEvent> events = zk.callAll("store write epoch=" + epoch, sends);
    for (int i = 0; i < window.size(); i++) {
      CuratorEvent event = events.get(i);
      if (ZkCall.code(event) != Code.OK) {
        requireStaleView(epoch, event, 1);
        retryChunk(epoch, window.get(i));
      }
    }
  }

  private List<List<Mutation>> chunks(List<? extends Mutation> mutations) {
    List<List<Mutation>> chunks = new ArrayList<>();
    List<Mutation> current = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    int ops = 1;
    int bytes = 0;
    for (Mutation m : mutations) {
      List<Mutation> unit = m instanceof Together t ? t.mutations() : List.of(m);
      int mOps = 0;
      int mBytes = 0;
      boolean withEvents = false;
      for (Mutation u : unit) {
        if (u instanceof Event e) {
          // The comma before it in the batch's array.
          mBytes += e.data().length + 1;
          withEvents = true;
        } else {
          mOps += u instanceof Upsert ? 2 : 1;
          mBytes += size(u) + OP_OVERHEAD_BYTES * (u instanceof Upsert ? 2 : 1);
        }
      }
      int node = withEvents && events.isEmpty() ? 1 : 0;
      boolean empty = current.isEmpty() && events.isEmpty();
      if (!empty
          && (ops + mOps + node > settings.maxOpsPerTransaction()
              || bytes + mBytes + node * eventNodeBytes > settings.maxBytesPerTransaction())) {
        chunks.add(withEventNode(current, events));
        current = new ArrayList<>();
        events = new ArrayList<>();
        ops = 1;
        bytes = 0;
        node = withEvents ? 1 : 0;
      }
      for (Mutation u : unit) {
        if (u instanceof Event e) {
          events.add(e);
        } else {
          current.add(u);
        }
      }
      ops += mOps + node;
      bytes += mBytes + node * eventNodeBytes;
    }
    if (!current.isEmpty() || !events.isEmpty() || chunks.isEmpty()) {
      chunks.add(withEventNode(current, events));
    }
    return chunks;
  }

  /** {@code chunk} with its {@code events} appended as one audit node, if any. */
  private List<Mutation> withEventNode(List<Mutation> chunk, List<Event> events) {
    if (events.size() == 1) {
      Event e = events.getFirst();
      chunk.add(new Append(paths.auditEntryPrefix(e.atMillis()), e.data()));
    } else if (!events.isEmpty()) {
      long newest = Long.MIN_VALUE;
      List<byte[]> data = new ArrayList<>(events.size());
      for (Event e : events) {
        // Event times need not follow the order of the events (clocks step): the newest names it.
        newest = Math.max(newest, e.atMillis());
        data.add(e.data());
      }
      chunk.add(
          new Append(
              paths.leaderAuditBatchPrefix(newest, events.size()), StoreCodec.auditArray(data)));
    }
    return chunk;
  }

  private static int size(Mutation m) {
    return switch (m) {
      case Upsert u -> u.data().length + u.path().length() + u.parent().length();
      case Remove r -> r.path().length();
      case Append a -> a.data().length + a.path().length();
      case Stamp st -> st.data().length + st.path().length();
      case Event e -> e.data().length;
      case Together t -> t.mutations().stream().mapToInt(FencedWrites::size).sum();
    };
  }

  private void applyChunk(long epoch, List<Mutation> chunk) throws NotLeaderException {
    attempts(epoch, chunk, viewExists, 1);
  }

  /** A chunk that failed on a stale view: again, with existence read from the server. */
  private void retryChunk(long epoch, List<Mutation> chunk) throws NotLeaderException {
    attempts(epoch, chunk, serverExists(chunk), 2);
  }

  private void attempts(long epoch, List<Mutation> chunk, Predicate<String> exists, int first)
      throws NotLeaderException {
    int token = fencingVersion(epoch);
    for (int attempt = first; ; attempt++) {
      List<CuratorOp> ops = ops(token, chunk, exists);
      CuratorEvent event =
          zk.call(
              "store write epoch=" + epoch,
              cb -> client.transaction().inBackground(cb).forOperations(ops));
      if (ZkCall.code(event) == Code.OK) {
        return;
      }
      requireStaleView(epoch, event, attempt);
      exists = serverExists(chunk);
    }
  }

  /**
   * Returns when a failed transaction failed on a stale view of which nodes exist and attempt
   * {@code attempt} may be followed by another.
   *
   * @throws NotLeaderException when the epoch check failed: another node leads
   * @throws StoreUnavailableException for any other failure, or a stale view past the attempts
   */
  private static void requireStaleView(long epoch, CuratorEvent event, int attempt)
      throws NotLeaderException {
    Code code = ZkCall.code(event);
    int failed = firstFailed(event);
    if (failed == 0 || (failed < 0 && code == Code.BADVERSION)) {
      throw new NotLeaderException(
          "epoch " + epoch + " is no longer current (" + code + "): another node leads");
    }
    boolean staleView = code == Code.NONODE || code == Code.NODEEXISTS;
    if (!staleView || attempt >= MAX_ATTEMPTS) {
      throw new StoreUnavailableException(
          "store write epoch=" + epoch + " failed: " + code + " at op " + failed,
          org.apache.zookeeper.KeeperException.create(code));
    }
  }

  private List<CuratorOp> ops(int token, List<Mutation> chunk, Predicate<String> exists)
      throws NotLeaderException {
    TransactionOp tx = client.transactionOp();
    List<CuratorOp> ops = new ArrayList<>(chunk.size() * 2 + 1);
    Set<String> createdParents = new HashSet<>();
    try {
      ops.add(tx.check().withVersion(token).forPath(paths.epoch()));
      for (Mutation m : chunk) {
        switch (m) {
          case Upsert u -> {
            if (exists.test(u.path())) {
              ops.add(tx.setData().forPath(u.path(), u.data()));
            } else {
              if (!exists.test(u.parent()) && createdParents.add(u.parent())) {
                ops.add(
                    tx.create().withMode(CreateMode.CONTAINER).forPath(u.parent(), new byte[0]));
              }
              ops.add(tx.create().withMode(CreateMode.PERSISTENT).forPath(u.path(), u.data()));
            }
          }
          case Stamp st -> {
            if (exists.test(st.path())) {
              ops.add(tx.setData().forPath(st.path(), st.data()));
            } else if (createdParents.add(st.path())) {
              ops.add(tx.create().withMode(CreateMode.CONTAINER).forPath(st.path(), st.data()));
            }
          }
          case Together t -> throw new IllegalStateException("groups are flattened into chunks");
          case Event e -> throw new IllegalStateException("events are gathered into audit nodes");
          case Remove r -> {
            if (exists.test(r.path())) {
              ops.add(tx.delete().forPath(r.path()));
            }
          }
          case Append a ->
              ops.add(
                  tx.create()
                      .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                      .forPath(a.path(), a.data()));
        }
      }
    } catch (Exception e) {
      // Building operations does no I/O; only a malformed path gets here.
      throw new IllegalArgumentException("store write: invalid operation", e);
    }
    return ops;
  }

  private Predicate<String> serverExists(List<Mutation> chunk) {
    Set<String> candidates = new LinkedHashSet<>();
    for (Mutation m : chunk) {
      switch (m) {
        case Upsert u -> {
          candidates.add(u.path());
          candidates.add(u.parent());
        }
        case Remove r -> candidates.add(r.path());
        case Stamp st -> candidates.add(st.path());
        case Together t -> throw new IllegalStateException("groups are flattened into chunks");
        case Event e -> throw new IllegalStateException("events are gathered into audit nodes");
        case Append a -> {
          // A sequential name is new by construction; its parent is part of the layout.
        }
      }
    }
    List<String> list = List.copyOf(candidates);
    List<ZkCall.Op> checks = new ArrayList<>(list.size());
    for (String path : list) {
      checks.add(cb -> client.checkExists().inBackground(cb).forPath(path));
    }
    List<CuratorEvent> events = zk.callAll("store existence check", checks);
    Set<String> existing = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (events.get(i).getStat() != null) {
        existing.add(list.get(i));
      }
    }
    return existing::contains;
  }

  private static int firstFailed(CuratorEvent event) {
    List<CuratorTransactionResult> results = event.getOpResults();
    if (results == null) {
      return -1;
    }
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).getError() != 0) {
        return i;
      }
    }
    return -1;
  }

  static int fencingVersion(long epoch) throws NotLeaderException {
    if (epoch <= 0 || epoch > Integer.MAX_VALUE) {
      throw new NotLeaderException("epoch " + epoch + " is not a term this node began");
    }
    return (int) epoch;
  }
}
