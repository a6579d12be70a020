package io.haddns.controller.store;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: persistent-sequential nodes {@code audit/e-<millis>-<seq>}, any node appends.
 * Every {@value #TRIM_EVERY} appends (and on {@link #trim()}) the trail is cut to the newest {@code
 * auditMaxEvents} and to {@code auditMaxAge}; the event time in the name makes the age cut free of
 * extra reads. Concurrent trims by several nodes are harmless (deletes are idempotent).
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

  void append(AuditEvent event) {
    byte[] data = codec.encode(event);
    String prefix = paths.auditEntryPrefix(event.at().toEpochMilli());
    CuratorEvent result =
        zk.call(
            "audit append",
            cb ->
                client
                    .create()
                    .creatingParentsIfNeeded()
                    .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .inBackground(cb)
                    .forPath(prefix, data));
    if (ZkCall.code(result) != Code.OK) {
      throw new StoreUnavailableException(
          "audit append failed: " + ZkCall.code(result),
          org.apache.zookeeper.KeeperException.create(ZkCall.code(result)));
    }
    if (sinceTrim.incrementAndGet() >= TRIM_EVERY) {
      sinceTrim.set(0);
      background.execute(this::trimQuietly);
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

  /** Deletes events beyond the count limit or older than the age limit. */
  void trim() {
    List<String> names = sortedNames();
    long cutoff = clock.instant().minus(settings.auditMaxAge()).toEpochMilli();
    int excess = names.size() - settings.auditMaxEvents();
    List<ZkCall.Op> deletes = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      // Event times need not follow the sequence (clocks differ between nodes): check each.
      if (i >= excess && millisOf(name) >= cutoff) {
        continue;
      }
      String path = paths.audit() + "/" + name;
      deletes.add(cb -> client.delete().inBackground(cb).forPath(path));
    }
    if (!deletes.isEmpty()) {
      zk.callAll("audit trim", deletes);
      log.info("audit trimmed events={} kept={}", deletes.size(), names.size() - deletes.size());
    }
  }

  private void trimQuietly() {
    try {
      trim();
    } catch (StoreUnavailableException e) {
      log.warn("audit trim postponed: {}", e.getMessage());
    }
  }

  private List<String> sortedNames() {
    CuratorEvent listing =
        zk.call("audit list", cb -> client.getChildren().inBackground(cb).forPath(paths.audit()));
    if (ZkCall.code(listing) == Code.NONODE || listing.getChildren() == null) {
      return List.of();
    }
    return listing.getChildren().stream()
        .filter(n -> n.startsWith(ZkPaths.AUDIT_PREFIX))
        .sorted(Comparator.comparing(AuditTrail::sequenceOf))
        .toList();
  }

  // ZooKeeper appends a 10-digit zero-padded counter, so the suffix orders entries.
  private static String sequenceOf(String name) {
    return name.substring(name.lastIndexOf('-') + 1);
  }

  private static long millisOf(String name) {
    try {
      String rest = name.substring(ZkPaths.AUDIT_PREFIX.length());
      return Long.parseLong(rest.substring(0, rest.indexOf('-')));
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }
}
