package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.config.TcpProbeMethod;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.rfc2136.Rfc2136DnsProvider;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.RequiredBinary;
import io.haddns.controller.testing.ZkDigestSecret;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * docs/benchmarks.md, "A regional outage": {@link #LINES} lines, {@link #RECORDS} failover records
 * (each on one line with a backup line in the other half of the fleet), one controller node on a
 * three-server ZooKeeper quorum, RFC 2136 to a real BIND. The lines' addresses live in two network
 * namespaces, one per half ({@link NetnsPrefix#create(int, int, Path)}); the link of the first is
 * cut ({@link NetnsPrefix#cut()}), so half of the lines fail at once, and the time is taken until
 * BIND holds every affected record on its backup line (its SOA serial, polled; then a full AXFR).
 * The link is mended and the fail-back measured the same way. Anchor in the same run: nsupdate
 * sending the same replacements in batches of the same size to a second BIND. A smoke run: 40 lines
 * and 80 records, once.
 */
class FleetOutageBenchmark {
  static final String ZONE = "fleet.test";
  static final BenchSize SIZE = BenchSize.current();
  static final int LINES = 2 * (SIZE.option("haddns.bench.lines", 10_000, 40) / 2);
  static final int RECORDS_PER_LINE = SIZE.option("haddns.bench.recordsPerLine", 10, 2);
  static final int RECORDS = LINES * RECORDS_PER_LINE;
  static final int REPETITIONS = SIZE.option("haddns.bench.repetitions", 3, 1);
  static final int FALL = SIZE.option("haddns.bench.fall", 2, 2);
  static final int BATCH = SIZE.option("haddns.bench.batchSize", 100, 100);
  static final int ZOOKEEPER_TICK_MS = 2000;
  static final long EPOCH = 1;
  static final Duration TARGET = Duration.ofSeconds(4);
  private static final long SETTLED_NANOS = Duration.ofMillis(300).toNanos();

  /** The lines' {@code fastInterval}: {@code -Dhaddns.bench.fastInterval}, default none. */
  static final String FAST_INTERVAL = System.getProperty("haddns.bench.fastInterval", "");

  private static final String PROBES =
      "interval: 1s, timeout: 300ms, fall: %d, rise: 2"
          + (FAST_INTERVAL.isEmpty() ? "" : ", fastInterval: " + FAST_INTERVAL);

  /** The node's {@code node.tcpProbes}: {@code -Dhaddns.bench.tcpProbes}, default connect. */
  static final TcpProbeMethod TCP_PROBES =
      Arrays.stream(TcpProbeMethod.values())
          .filter(m -> m.label().equals(System.getProperty("haddns.bench.tcpProbes", "connect")))
          .findFirst()
          .orElseThrow(
              () -> new IllegalArgumentException("haddns.bench.tcpProbes: connect or half-open"));

  @TempDir Path dir;

  @Test
  void halfOfTheLinesFailAtOnce() throws Exception {
    Path nsupdate = RequiredBinary.require("nsupdate", "bind9-dnsutils");
    int port = 7500 + (int) (ProcessHandle.current().pid() % 1000);
    Samples downFirst = new Samples();
    Samples downAll = new Samples();
    Samples upFirst = new Samples();
    Samples upAll = new Samples();
    Samples anchorTimes = new Samples();
    int updates = 0;
    try (NetnsPrefix first = NetnsPrefix.create(0, port, scratch("net-a"));
        NetnsPrefix second = NetnsPrefix.create(1, port, scratch("net-b"));
        DnsTestServer dns = BindServer.start(dir.resolve("bind"), ZONE);
        DnsTestServer anchorDns = BindServer.start(dir.resolve("bind-anchor"), ZONE);
        // ZooKeeper's default tick: the 6 s session is granted (the ITs' 200 ms tick caps sessions
        // at 4 s), and a follower that falls a second behind while 40,000 records are recorded on
        // these two cores is not dropped from the quorum.
        TestingCluster zk = ZkTestServers.cluster(3, ZOOKEEPER_TICK_MS);
        NodeRuntime node = start(zk, dns, port)) {
      Rfc2136DnsProvider reader = provider(dns);
      awaitAnswers(node, reader, false, Duration.ofMinutes(10));
      NsupdateScript anchor = new NsupdateScript(nsupdate, dir, anchorDns);
      Rfc2136DnsProvider anchorLoad = provider(anchorDns);
      anchorLoad.claim(EPOCH);
      anchorLoad.apply(desired(false).stream().<Change>map(Change.Create::new).toList(), EPOCH);
      Path toBackup = anchor.write(affected(true), BATCH, EPOCH);
      Path toPrimary = anchor.write(affected(false), BATCH, EPOCH);
      for (int rep = 0; rep < REPETITIONS; rep++) {
        Thread.sleep(ThreadLocalRandom.current().nextLong(300, 1300));
        Move down = move(first::cut, node, dns, reader, true);
        downFirst.add(down.first());
        downAll.add(down.all());
        updates = down.updates();
        anchorTimes.add(anchor.run(toBackup));
        Thread.sleep(ThreadLocalRandom.current().nextLong(300, 1300));
        Move up = move(first::mend, node, dns, reader, false);
        upFirst.add(up.first());
        upAll.add(up.all());
        anchorTimes.add(anchor.run(toPrimary));
      }
    }
    BenchSize.measured("outage: first UPDATE", downFirst);
    BenchSize.measured("outage: all moved", downAll);
    BenchSize.measured("return: all moved", upAll);
    BenchSize.measured("nsupdate", anchorTimes);
    report(downFirst, downAll, upFirst, upAll, anchorTimes, updates);
  }

  /** When the first and the last UPDATE landed after the link changed, and how many there were. */
  private record Move(Duration first, Duration all, int updates) {}

  private interface LinkChange {
    void run() throws Exception;
  }

  /**
   * Changes the link at T0, then polls BIND's SOA serial every ~10 ms until the node's applied
   * state holds every affected record on its new line; the last serial change before that is when
   * the last UPDATE landed. A full AXFR then checks every record.
   */
  private static Move move(
      LinkChange change,
      NodeRuntime node,
      DnsTestServer dns,
      Rfc2136DnsProvider reader,
      boolean toBackup)
      throws Exception {
    long before = serial(dns);
    long seen = before;
    long firstAt = -1;
    long lastAt = -1;
    long t0 = System.nanoTime();
    change.run();
    long deadline = t0 + Duration.ofSeconds(120).toNanos();
    long nextCheck = t0;
    while (true) {
      long s = serial(dns);
      long now = System.nanoTime();
      if (s != seen) {
        seen = s;
        lastAt = now;
        if (firstAt < 0) {
          firstAt = now;
        }
      }
      // The applied state is checked only once the serial has been still for a while, and not
      // often, one record at a time, stopping at the first not yet moved: the check runs in this
      // JVM, where the node runs too, and must not take its CPU while it is being measured (a copy
      // of the 100,000 applied records per check did). The result is the last serial change
      // either way; the full applied state and the AXFR are checked after.
      if (lastAt > 0 && now - lastAt >= SETTLED_NANOS && now >= nextCheck) {
        if (appliedMoved(node, toBackup)) {
          break;
        }
        nextCheck = now + SETTLED_NANOS;
      }
      if (now > deadline) {
        throw new IllegalStateException(
            "records not all " + (toBackup ? "on backups" : "back") + " within 120 s");
      }
      Thread.sleep(10);
    }
    // Nothing else writes: after the applied state shows every move, no UPDATE may follow.
    Thread.sleep(1000);
    assertThat(serial(dns)).as("UPDATEs after the moves were recorded").isEqualTo(seen);
    assertThat(appliedAll(node, toBackup)).as("applied state: every record, each moved").isTrue();
    assertThat(answersAll(reader, toBackup)).as("AXFR: every record on its new line").isTrue();
    return new Move(
        Duration.ofNanos(firstAt - t0), Duration.ofNanos(lastAt - t0), (int) (seen - before));
  }

  private static void awaitAnswers(
      NodeRuntime node, Rfc2136DnsProvider reader, boolean onBackup, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!(appliedAll(node, onBackup) && answersAll(reader, onBackup))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("initial records not applied within " + limit);
      }
      Thread.sleep(1000);
    }
  }

  /**
   * Whether every record's applied state is where it should be (the first half on backups), looked
   * up one by one in the node's view: no copy of the view, and the first record not moved ends it.
   */
  private static boolean appliedMoved(NodeRuntime node, boolean firstHalfOnBackup) {
    for (RecordSet want : firstHalfOnBackup ? DESIRED_ON_BACKUP : DESIRED_ON_PRIMARY) {
      Optional<AppliedRecord> a = node.store().applied(want.key());
      if (a.isEmpty() || !a.get().record().addresses().equals(want.addresses())) {
        return false;
      }
    }
    return true;
  }

  /** Whether the node's applied state holds all records, those of the first half on backups. */
  private static boolean appliedAll(NodeRuntime node, boolean firstHalfOnBackup) {
    Map<RecordKey, AppliedRecord> applied = node.store().applied();
    if (applied.size() != RECORDS) {
      return false;
    }
    for (RecordSet want : firstHalfOnBackup ? DESIRED_ON_BACKUP : DESIRED_ON_PRIMARY) {
      AppliedRecord a = applied.get(want.key());
      if (a == null || !a.record().addresses().equals(want.addresses())) {
        return false;
      }
    }
    return true;
  }

  private static boolean answersAll(Rfc2136DnsProvider reader, boolean firstHalfOnBackup)
      throws Exception {
    List<RecordSet> listed = reader.list();
    return listed.size() == RECORDS
        && new java.util.HashSet<>(listed).containsAll(desired(firstHalfOnBackup));
  }

  private static final List<RecordSet> DESIRED_ON_PRIMARY = desired(false);
  private static final List<RecordSet> DESIRED_ON_BACKUP = desired(true);

  /** Every record as DNS should hold it: on its primary line, or (first half) on its backup. */
  static List<RecordSet> desired(boolean firstHalfOnBackup) {
    List<RecordSet> out = new ArrayList<>(RECORDS);
    for (int r = 0; r < RECORDS; r++) {
      int primary = r % LINES;
      int line = firstHalfOnBackup && primary < LINES / 2 ? backup(primary) : primary;
      out.add(recordSet(r, line));
    }
    return out;
  }

  /** The records whose primary line is in the first half, on their backup or their primary. */
  static List<RecordSet> affected(boolean onBackup) {
    List<RecordSet> out = new ArrayList<>(RECORDS / 2);
    for (int r = 0; r < RECORDS; r++) {
      int primary = r % LINES;
      if (primary < LINES / 2) {
        out.add(recordSet(r, onBackup ? backup(primary) : primary));
      }
    }
    return out;
  }

  private static RecordSet recordSet(int record, int line) {
    return new RecordSet(
        new RecordKey(String.format("r%06d.%s", record, ZONE), RecordType.A),
        30,
        List.of(address(line)));
  }

  private static int backup(int line) {
    return (line + LINES / 2) % LINES;
  }

  private static InetAddress address(int line) {
    int half = line < LINES / 2 ? 0 : 1;
    return NetnsPrefix.address(half, line - half * (LINES / 2));
  }

  private NodeRuntime start(TestingCluster zk, DnsTestServer dns, int port) throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            """
            cluster:
              name: fleet
              zookeeper: %s
              zookeeperAuth: %s
              sessionTimeout: 6s
              resyncInterval: 10m
            zones:
              - name: %s
                provider:
                  type: rfc2136
                  server: 127.0.0.1:%d
                  batchSize: %d
                  tsig: { name: %s, algorithm: hmac-sha256, secretEnv: HADDNS_BENCH_TSIG }
            lines:
            """
                .formatted(
                    zk.getConnectString(),
                    ZkDigestSecret.yaml(dir),
                    ZONE,
                    dns.port(),
                    BATCH,
                    dns.tsigName()));
    String probes = PROBES.formatted(FALL);
    for (int l = 0; l < LINES; l++) {
      yaml.append(
          "  - { name: l%05d, address: { static: [%s] }, probes: [ { tcp: { port: %d } } ], %s }\n"
              .formatted(l, address(l).getHostAddress(), port, probes));
    }
    yaml.append("records:\n");
    for (int r = 0; r < RECORDS; r++) {
      int primary = r % LINES;
      yaml.append(
          "  - { name: r%06d.%s, type: A, ttl: 30, policy: failover, lines: [l%05d, l%05d] }\n"
              .formatted(r, ZONE, primary, backup(primary)));
    }
    HaddnsConfig cfg =
        new ConfigLoader(Map.of("HADDNS_BENCH_TSIG", dns.tsigSecretBase64()))
            .parse(yaml.toString(), "fleet.yaml", dir);
    return NodeRuntime.start(
        cfg.withNode(
            new NodeConfig("node-1", "127.0.0.1", 0, "127.0.0.1", 0).withTcpProbes(TCP_PROBES)),
        Optional.empty(),
        InstantSource.system(),
        "bench");
  }

  private static Rfc2136DnsProvider provider(DnsTestServer dns) {
    return new Rfc2136DnsProvider(
        ZONE,
        dns.rfc2136(Optional.of(dns.tsigConfig()), BATCH),
        Optional.empty(),
        InstantSource.system());
  }

  private static long serial(DnsTestServer dns) throws Exception {
    return ((SOARecord)
            dns.query(ZONE, Type.SOA).stream()
                .filter(SOARecord.class::isInstance)
                .findFirst()
                .orElseThrow())
        .getSerial();
  }

  private Path scratch(String name) throws java.io.IOException {
    return Files.createDirectories(dir.resolve(name));
  }

  private static void report(
      Samples downFirst,
      Samples downAll,
      Samples upFirst,
      Samples upAll,
      Samples anchor,
      int updates)
      throws java.io.IOException {
    BenchReport report =
        new BenchReport(
            "FleetOutageBenchmark",
            "A regional outage: "
                + LINES / 2
                + " of "
                + LINES
                + " lines fail at once, "
                + RECORDS / 2
                + " of "
                + RECORDS
                + " records move (BIND 9)");
    report
        .line("Machine: " + BenchReport.machine() + ".")
        .line(
            "One controller node (in-JVM `NodeRuntime`, three-server ZooKeeper quorum, tickTime "
                + ZOOKEEPER_TICK_MS
                + " ms), "
                + LINES
                + " lines with one TCP probe each ("
                + PROBES.formatted(FALL)
                + ", node.tcpProbes: "
                + TCP_PROBES.label()
                + "), "
                + RECORDS
                + " failover records (each on a line with a backup line in the other half of the"
                + " fleet), RFC 2136 to a real BIND, batchSize "
                + BATCH
                + ". The lines' addresses live in two network namespaces, one per half; the first"
                + " one's link is cut at T0 (its side of the veth goes down: every probe of those "
                + LINES / 2
                + " lines times out), then mended. Times from T0 to the first and the last of the"
                + " UPDATEs landing at BIND (its SOA serial, polled every ~10 ms); the last is"
                + " taken once the node's applied state holds every move, a full AXFR then checks"
                + " every record. Anchor: one `nsupdate -v -k` process sending the same "
                + RECORDS / 2
                + " replacements in batches of "
                + BATCH
                + " to a second BIND, start to exit. "
                + REPETITIONS
                + " outages and returns, each after a random 0.3–1.3 s; min / median / max.");
    report.table(
        List.of("what", "first UPDATE landed", "last UPDATE landed (all moved)", "target"),
        List.of(
            List.of(
                LINES / 2 + " lines cut off → " + RECORDS / 2 + " records on backups",
                downFirst.summary(),
                downAll.summary(),
                downAll.maxNanos() <= TARGET.toNanos() ? "met (≤ 4 s)" : "missed (> 4 s)"),
            List.of("link mended → back on primaries", upFirst.summary(), upAll.summary(), ""),
            List.of(
                "nsupdate, same " + RECORDS / 2 + " changes (anchor)", "—", anchor.summary(), "")));
    report.line(
        "UPDATEs per outage: "
            + updates
            + ". Writing alone (median last − median first UPDATE after the cut): "
            + Samples.seconds(downAll.medianNanos() - downFirst.medianNanos())
            + " vs nsupdate's median "
            + Samples.seconds(anchor.medianNanos())
            + ".");
    report.publish();
  }
}
