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
 * leader's events ({@code e-<millis>-<seq>}) go through {@link FencedWrites}, as {@link #entry}
 * mutations in its epoch-checked transactions; any node's gateway appends its events ({@code
 * g-<millis>-<seq>}) here, batched into multi-op transactions, unfenced. Every {@value #TRIM_EVERY}
 * appends, or every tenth of {@code auditMaxEvents} if more (and on {@link #trim()}), each of the
 * two kinds is cut to its newest {@code auditMaxEvents} and to {@code auditMaxAge}: thousands of
 * agent heartbeats a second never push a leadership change or a line transition out of the trail.
 * The kind and the event time in the name make the cuts free of extra reads. Concurrent trims by
 * several nodes are harmless (deletes are idempotent).
 */
final class AuditTrail {
  static final int TRIM_EVERY = 100;
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
   * {@code event} as a mutation for a fenced leader write; call {@link #appended} once it lands.
   */
  FencedWrites.Append entry(AuditEvent event) {
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
   * Appends {@code events} in order, as few multi-op transactions as the size limits allow (one
   * ZooKeeper write instead of one per event). A chunk is all or nothing: when one fails, it and
   * the rest are not written and this throws.
   */
  void appendAll(List<AuditEvent> events) {
    List<CuratorOp> chunk = new ArrayList<>();
    int bytes = 0;
    for (AuditEvent event : events) {
      byte[] data = codec.encode(event);
      if (!chunk.isEmpty()
          && (chunk.size() >= settings.maxOpsPerTransaction()
              || bytes + data.length > settings.maxBytesPerTransaction())) {
        commit(chunk);
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(create(paths.gatewayAuditEntryPrefix(event.at().toEpochMilli()), data));
      bytes += data.length;
    }
    if (!chunk.isEmpty()) {
      commit(chunk);
    }
    appended(events.size());
  }

  private void commit(List<CuratorOp> ops) {
    CuratorEvent result =
        zk.call("audit append", cb -> client.transaction().inBackground(cb).forOperations(ops));
    Code code = ZkCall.code(result);
    if (code != Code.OK) {
      throw new StoreUnavailableException(
          "audit append of " + ops.size() + " events failed: " + code,
          org.apache.zookeeper.KeeperException.create(code));
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

  List<AuditEvent> recent(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    List<String> names = sortedNames();
    List<String> newest = names.subList(Math.max(0, names.size() - limit), names.size());
    List<ZkCall.Op> reads = new ArrayList<>(newest.size());
    for (String name : newest) {
      String path = paths.audit() + "/" + name;
      reads.add(cb -> client.getData().inBackground(cb).forPath(path));
    }
    List<AuditEvent> events = new ArrayList<>(newest.size());
    for (CuratorEvent e : zk.callAll("audit read", reads)) {
      // A node trimmed between the listing and the read is simply skipped.
      if (ZkCall.code(e) == Code.OK && e.getData() != null) {
        try {
          events.add(codec.decodeAudit(e.getData()));
        } catch (IllegalArgumentException bad) {
          log.warn("audit path={} ignored: {}", e.getPath(), bad.getMessage());
        }
      }
    }
    return events;
  }

  /** Deletes events beyond the count limit of their kind or older than the age limit. */
  void trim() {
    List<String> names = sortedNames();
    long cutoff = clock.instant().minus(settings.auditMaxAge()).toEpochMilli();
    List<String> deletes = new ArrayList<>();
    for (String prefix : List.of(ZkPaths.AUDIT_PREFIX, ZkPaths.GATEWAY_AUDIT_PREFIX)) {
      List<String> kind = names.stream().filter(n -> n.startsWith(prefix)).toList();
      int excess = kind.size() - settings.auditMaxEvents();
      for (int i = 0; i < kind.size(); i++) {
        String name = kind.get(i);
        // Event times need not follow the sequence (clocks differ between nodes): check each.
        if (i >= excess && millisOf(name) >= cutoff) {
          continue;
        }
        deletes.add(paths.audit() + "/" + name);
      }
    }
    int chunk = settings.maxOpsPerTransaction();
    for (int from = 0; from < deletes.size(); from += chunk) {
      deleteAll(deletes.subList(from, Math.min(deletes.size(), from + chunk)));
    }
    if (!deletes.isEmpty()) {
      log.info("audit trimmed events={} kept={}", deletes.size(), names.size() - deletes.size());
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

  private List<String> sortedNames() {
    CuratorEvent listing =
        zk.call("audit list", cb -> client.getChildren().inBackground(cb).forPath(paths.audit()));
    if (ZkCall.code(listing) == Code.NONODE || listing.getChildren() == null) {
      return List.of();
    }
    return listing.getChildren().stream()
        .filter(
            n -> n.startsWith(ZkPaths.AUDIT_PREFIX) || n.startsWith(ZkPaths.GATEWAY_AUDIT_PREFIX))
        .sorted(Comparator.comparing(AuditTrail::sequenceOf))
        .toList();
  }

  // ZooKeeper appends a 10-digit zero-padded counter, so the suffix orders entries.
  private static String sequenceOf(String name) {
    return name.substring(name.lastIndexOf('-') + 1);
  }

  private static long millisOf(String name) {
    try {
      // Both prefixes are two characters long.
      String rest = name.substring(ZkPaths.AUDIT_PREFIX.length());
      return Long.parseLong(rest.substring(0, rest.indexOf('-')));
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }
}
