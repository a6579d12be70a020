package io.haddns.controller.bench;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.provider.rfc2136.Rfc2136DnsProvider;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.FastLines;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.ZkDigestSecret;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.test.TestingCluster;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The whole path of a mass re-point: one controller node (in this JVM, on a three-server ZooKeeper
 * quorum) manages {@link MassRepointBenchmark#RECORDS} failover records over lines A and B on a
 * real DNS server; line A's service stops, and the time is taken until the server holds every
 * record on B. The moments are read at the DNS server itself: each UPDATE raises the zone's SOA
 * serial by one, so "first UPDATE landed" and "last UPDATE landed" are serial changes, polled every
 * few milliseconds; at the end a full AXFR proves every record moved.
 */
final class MassRepointAfterLineFailure implements AutoCloseable {
  static final InetAddress LINE_A = address("127.0.0.21");
  static final InetAddress LINE_B = address("127.0.0.22");

  private final TestingCluster zk;
  private final NodeRuntime node;
  private final DnsTestServer dns;
  private final Rfc2136DnsProvider reader;
  private final LineListener a;
  private final LineListener b;
  private final int batchSize;

  /** One failure or return of line A: when the first and the last UPDATE landed after it. */
  record Move(Duration firstUpdate, Duration lastUpdate, int updates) {}

  private MassRepointAfterLineFailure(
      TestingCluster zk,
      NodeRuntime node,
      DnsTestServer dns,
      Rfc2136DnsProvider reader,
      LineListener a,
      LineListener b,
      int batchSize) {
    this.zk = zk;
    this.node = node;
    this.dns = dns;
    this.reader = reader;
    this.a = a;
    this.b = b;
    this.batchSize = batchSize;
  }

  static MassRepointAfterLineFailure start(Path dir, DnsTestServer dns, int batchSize)
      throws Exception {
    int port = LineListener.freePort(LINE_A, LINE_B);
    LineListener a = new LineListener(LINE_A, port).open();
    LineListener b = new LineListener(LINE_B, port).open();
    TestingCluster zk = ZkTestServers.cluster(3);
    StringBuilder records = new StringBuilder();
    for (int i = 0; i < MassRepointBenchmark.RECORDS; i++) {
      records.append(
          "  - { name: r%05d.%s, type: A, ttl: 30, policy: failover, lines: [a, b] }\n"
              .formatted(i, MassRepointBenchmark.ZONE));
    }
    String yaml =
        """
        cluster:
          name: bench
          zookeeper: %s
          zookeeperAuth: %s
          sessionTimeout: 6s
          resyncInterval: 10m
        %szones:
          - name: %s
            provider:
              type: rfc2136
              server: 127.0.0.1:%d
              batchSize: %d
              tsig: { name: %s, algorithm: hmac-sha256, secretEnv: HADDNS_BENCH_TSIG }
        records:
        %s"""
            .formatted(
                zk.getConnectString(),
                ZkDigestSecret.yaml(dir),
                FastLines.yaml(LINE_A.getHostAddress(), port, LINE_B.getHostAddress(), port),
                MassRepointBenchmark.ZONE,
                dns.port(),
                batchSize,
                dns.tsigName(),
                records);
    HaddnsConfig cfg =
        new ConfigLoader(Map.of("HADDNS_BENCH_TSIG", dns.tsigSecretBase64()))
            .parse(yaml, "bench.yaml", dir);
    NodeRuntime node =
        NodeRuntime.start(
            cfg.withNode(new NodeConfig("node-1", "127.0.0.1", 0, "127.0.0.1", 0)),
            Optional.empty(),
            InstantSource.system(),
            "bench");
    Rfc2136DnsProvider reader =
        new Rfc2136DnsProvider(
            MassRepointBenchmark.ZONE,
            dns.rfc2136(Optional.of(dns.tsigConfig()), batchSize),
            Optional.empty(),
            InstantSource.system());
    return new MassRepointAfterLineFailure(zk, node, dns, reader, a, b, batchSize);
  }

  /** Waits until the server holds every record on {@code line} and the node has recorded it. */
  void awaitAllOn(InetAddress line, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      if (node.store().applied().size() == MassRepointBenchmark.RECORDS
          && node.store().applied().values().stream()
              .allMatch(r -> r.record().addresses().equals(List.of(line)))
          && allOn(line)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("records not all on " + line + " within " + limit);
      }
      Thread.sleep(100);
    }
  }

  /** Full AXFR: every one of the records answers {@code line} only. */
  boolean allOn(InetAddress line) throws Exception {
    List<RecordSet> listed = reader.list();
    return listed.size() == MassRepointBenchmark.RECORDS
        && listed.stream().allMatch(rs -> rs.addresses().equals(List.of(line)));
  }

  /** Line A fails (its port refuses): every record moves to B. */
  Move failA() throws Exception {
    return move(a::down);
  }

  /** Line A returns: every record moves back to A. */
  Move restoreA() throws Exception {
    return move(() -> a.open());
  }

  private interface Action {
    void run() throws Exception;
  }

  private Move move(Action action) throws Exception {
    int updates = (MassRepointBenchmark.RECORDS + batchSize - 1) / batchSize;
    long before = serial();
    long t0 = System.nanoTime();
    action.run();
    long first = -1;
    long deadline = t0 + 30_000_000_000L;
    while (true) {
      long now = System.nanoTime();
      long s = serial();
      if (first < 0 && s != before) {
        first = now;
      }
      if (s - before >= updates) {
        return new Move(
            Duration.ofNanos(first - t0), Duration.ofNanos(now - t0), (int) (s - before));
      }
      if (now > deadline) {
        throw new IllegalStateException(
            "only " + (s - before) + " of " + updates + " UPDATEs landed within 30 s");
      }
      Thread.sleep(10);
    }
  }

  long serial() throws Exception {
    return ((SOARecord)
            dns.query(MassRepointBenchmark.ZONE, Type.SOA).stream()
                .filter(SOARecord.class::isInstance)
                .findFirst()
                .orElseThrow())
        .getSerial();
  }

  /**
   * The leader's epoch, which the zone's fence record holds: an anchor carries the same
   * prerequisite.
   */
  long fenceEpoch() {
    return node.store().currentEpoch();
  }

  NodeRuntime node() {
    return node;
  }

  @Override
  public void close() throws Exception {
    try (zk;
        a;
        b) {
      node.close();
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
