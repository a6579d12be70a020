package io.haddns.controller.store;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: persistent-sequential nodes under {@code audit/}, one sequence for all. A
 * leader's events go through {@link FencedWrites} as {@link #entry} mutations in its epoch-checked
 * transactions, the events of one transaction in one node ({@code e-<millis>-<seq>} for a lone
 * event, else a batch {@code l-<millis>-<n>-<seq>} like the gateway's below). Any node's gateway
 * appends its events here, unfenced, many to a node: {@link #appendAll} writes each run of events
 * that fits in {@link #MAX_NODE_BYTES} (or {@code maxBytesPerTransaction}, if smaller) as one node
 * {@code g-<millis>-<n>-<seq>} holding a JSON array of its {@code n} events in order, {@code
 * millis} the newest one's time, several such nodes to a multi-op transaction. At thousands of
 * reports a second that is one create and, later, one delete per batch instead of per report, and a
 * listing of few children. Single-event gateway nodes {@code g-<millis>-<seq>} of older versions
 * are read and trimmed as batches of one.
 *
 * <p>{@link #recent} returns the newest events in sequence order, within a batch in append order,
 * reading only the newest nodes that hold enough events by the counts in their names. Every {@value
 * #TRIM_EVERY} appended events, or every tenth of {@code auditMaxEvents} if more (and on {@link
 * #trim()}), each of the two kinds is cut to its newest {@code auditMaxEvents} events and to {@code
 * auditMaxAge}: thousands of agent heartbeats a second never push a leadership change or a line
 * transition out of the trail. A node is deleted whole, and only when all of its events are past a
 * limit: the one that straddles the count limit is kept, so a kind may keep more than {@code
 * auditMaxEvents} events by less than one batch, and a batch stays until its newest event is too
 * old. The kind, event count and time in the name make the cuts free of reads. Concurrent trims by
 * several nodes are harmless (deletes are idempotent).
 */
final class AuditTrail {
  static final int TRIM_EVERY = 100;

  /** Upper bound of a batch node's data, well below ZooKeeper's {@code jute.maxbuffer} (1 MiB). */
  static final int MAX_NODE_BYTES = 256 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final StoreCodec codec;
  private final ZkCall zk;
  private final StoreSettings settings;
  private final InstantSource clock;
  private final Executor background;
  private final AtomicInteger sinceTrim = new AtomicInteger();
  private final AtomicBoolean trimPending = new AtomicBoolean();

  AuditTrail(
      CuratorFramework client,
      ZkPaths paths,
      StoreCodec codec,
      ZkCall zk,
      StoreSettings settings,
      InstantSource clock,
      Executor background) {
    this.client = client;
    this.paths = paths;
    this.codec = codec;
    this.zk = zk;
    this.settings = settings;
    this.clock = clock;
    this.background = background;
  }

  /**
   * {@code event} as a mutation for a fenced leader write (the events of one transaction share a
   * node); call {@link #appended} once it lands.
   */
  FencedWrites.Event entry(AuditEvent event) {
    return new FencedWrites.Event(paths.audit(), event.at().toEpochMilli(), codec.encode(event));
  }

  /**
   * {@code event} as a node of its own ({@code e-<millis>-<seq>}), for a fenced transaction built
   * outside {@link FencedWrites}; call {@link #appended} once it lands.
   */
  FencedWrites.Append loneEntry(AuditEvent event) {
    return new FencedWrites.Append(
        paths.auditEntryPrefix(event.at().toEpochMilli()), codec.encode(event));
  }

  /**
   * Counts {@code count} appended events towards the next trim. Trims list the whole trail: at high
   * append rates, at most one per tenth of the kept events.
   */
  void appended(int count) {
    int every = Math.max(TRIM_EVERY, settings.auditMaxEvents() / 10);
    if (sinceTrim.addAndGet(count) >= every && trimPending.compareAndSet(false, true)) {
      sinceTrim.set(0);
      background.execute(this::trimQuietly);
    }
  }

  void append(AuditEvent event) {
    appendAll(List.of(event));
  }

  /**
   * Appends {@code events} in order, as few nodes and multi-op transactions as the size limits
   * allow. A transaction is all or nothing: when one fails, it and the rest are not written and
   * this throws.
   */
  void appendAll(List<AuditEvent> events) {
    int nodeBytes = Math.min(MAX_NODE_BYTES, settings.maxBytesPerTransaction());
    AppendTransaction tx = new AppendTransaction();
    List<byte[]> batch = new ArrayList<>();
    long newest = Long.MIN_VALUE;
    // '[', then one byte per event: the comma before the next one, or the closing ']'.
    int bytes = 1;
    for (AuditEvent event : events) {
      byte[] data = codec.encode(event);
      if (!batch.isEmpty() && bytes + 1 + data.length > nodeBytes) {
        tx.add(newest, batch);
        batch = new ArrayList<>();
        newest = Long.MIN_VALUE;
        bytes = 1;
      }
      batch.add(data);
      bytes += 1 + data.length;
      // Event times need not follow the append order (clocks step): the name carries the newest.
      newest = Math.max(newest, event.at().toEpochMilli());
    }
    if (!batch.isEmpty()) {
      tx.add(newest, batch);
    }
    tx.commit();
    appended(events.size());
  }

  /** Batch nodes collected into one multi-op transaction, committed when the next would not fit. */
  private final class AppendTransaction {
    private final List<CuratorOp> ops = new ArrayList<>();
    private int bytes;
    private int events;

    void add(long newestMillis, List<byte[]> batch) {
      byte[] data = StoreCodec.auditArray(batch);
      if (!ops.isEmpty()
          && (ops.size() >= settings.maxOpsPerTransaction()
              || bytes + data.length > settings.maxBytesPerTransaction())) {
        commit();
      }
      ops.add(create(paths.gatewayAuditBatchPrefix(newestMillis, batch.size()), data));
      bytes += data.length;
      events += batch.size();
    }

    void commit() {
      if (ops.isEmpty()) {
        return;
      }
      CuratorEvent result =
          zk.call("audit append", cb -> client.transaction().inBackground(cb).forOperations(ops));
      Code code = ZkCall.code(result);
      if (code != Code.OK) {
        throw new StoreUnavailableException(
            "audit append of " + events + " events in " + ops.size() + " nodes failed: " + code,
            org.apache.zookeeper.KeeperException.create(code));
      }
      ops.clear();
      bytes = 0;
      events = 0;
    }
  }

  private CuratorOp create(String prefix, byte[] data) {
    try {
      return client
          .transactionOp()
          .create()
          .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
          .forPath(prefix, data);
    } catch (Exception e) {
      throw new IllegalArgumentException("audit append: invalid path " + prefix, e);
    }
  }

  /** The newest {@code limit} events, oldest first; malformed nodes are skipped with a WARN. */
  List<AuditEvent> recent(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    List<AuditNode> nodes = sortedNodes();
    int from = nodes.size();
    long counted = 0;
    while (from > 0 && counted < limit) {
      from--;
      counted += nodes.get(from).events();
    }
    List<ZkCall.Op> reads = new ArrayList<>(nodes.size() - from);
    for (AuditNode node : nodes.subList(from, nodes.size())) {
      String path = paths.audit() + "/" + node.name();
      reads.add(cb -> client.getData().inBackground(cb).forPath(path));
    }
    List<AuditEvent> events = new ArrayList<>();
    for (CuratorEvent e : zk.callAll("audit read", reads)) {
      // A node trimmed between the listing and the read is simply skipped.
      if (ZkCall.code(e) == Code.OK && e.getData() != null) {
        try {
          events.addAll(codec.decodeAudits(e.getData()));
        } catch (IllegalArgumentException bad) {
          log.warn("audit path={} ignored: {}", e.getPath(), bad.getMessage());
        }
      }
    }
    return List.copyOf(events.subList(Math.max(0, events.size() - limit), events.size()));
  }

  /**
   * Deletes the nodes of each kind whose events are all beyond its newest {@code auditMaxEvents} or
   * older than {@code auditMaxAge}.
   */
  void trim() {
    List<AuditNode> nodes = sortedNodes();
    long cutoff = clock.instant().minus(settings.auditMaxAge()).toEpochMilli();
    long newerLeaderEvents = 0;
    long newerGatewayEvents = 0;
    long deletedEvents = 0;
    long keptEvents = 0;
    List<String> deletes = new ArrayList<>();
    for (AuditNode node : nodes.reversed()) {
      long newer = node.leader() ? newerLeaderEvents : newerGatewayEvents;
      // Event times need not follow the sequence (clocks differ between nodes): check each.
      if (newer < settings.auditMaxEvents() && node.newestMillis() >= cutoff) {
        keptEvents += node.events();
      } else {
        deletes.add(paths.audit() + "/" + node.name());
        deletedEvents += node.events();
      }
      if (node.leader()) {
        newerLeaderEvents += node.events();
      } else {
        newerGatewayEvents += node.events();
      }
    }
    int chunk = settings.maxOpsPerTransaction();
    for (int from = 0; from < deletes.size(); from += chunk) {
      deleteAll(deletes.subList(from, Math.min(deletes.size(), from + chunk)));
    }
    if (!deletes.isEmpty()) {
      log.info(
          "audit trimmed nodes={} events={} keptNodes={} keptEvents={}",
          deletes.size(),
          deletedEvents,
          nodes.size() - deletes.size(),
          keptEvents);
    }
  }

  /** Deletes in one transaction; if another node's trim removed one already, one by one. */
  private void deleteAll(List<String> deletePaths) {
    List<CuratorOp> ops = new ArrayList<>(deletePaths.size());
    for (String path : deletePaths) {
      try {
        ops.add(client.transactionOp().delete().forPath(path));
      } catch (Exception e) {
        throw new IllegalArgumentException("audit trim: invalid path " + path, e);
      }
    }
    CuratorEvent result =
        zk.call("audit trim", cb -> client.transaction().inBackground(cb).forOperations(ops));
    if (ZkCall.code(result) == Code.OK) {
      return;
    }
    List<ZkCall.Op> single = new ArrayList<>(deletePaths.size());
    for (String path : deletePaths) {
      single.add(cb -> client.delete().inBackground(cb).forPath(path));
    }
    zk.callAll("audit trim", single);
  }

  private void trimQuietly() {
    try {
      trim();
    } catch (StoreUnavailableException e) {
      log.warn("audit trim postponed: {}", e.getMessage());
    } finally {
      trimPending.set(false);
    }
  }

  private List<AuditNode> sortedNodes() {
    CuratorEvent listing =
        zk.call("audit list", cb -> client.getChildren().inBackground(cb).forPath(paths.audit()));
    if (ZkCall.code(listing) == Code.NONODE || listing.getChildren() == null) {
      return List.of();
    }
    List<AuditNode> nodes = new ArrayList<>(listing.getChildren().size());
    for (String name : listing.getChildren()) {
      AuditNode.parse(name).ifPresent(nodes::add);
    }
    nodes.sort(Comparator.comparingLong(AuditNode::sequence));
    return nodes;
  }
}
