package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.FastLines;
import io.haddns.controller.testing.LineListener;
import io.haddns.controller.testing.ZkDigestSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * docs/benchmarks.md, target "leader kill -9 → new leader's first write": three {@code java -jar
 * haddns.jar controller} processes on one ZooKeeper, writing a real BIND, with the leader lease at
 * its defaults (docs/architecture.md, "Fast takeover"). The leader is stopped by SIGKILL (its lease
 * stops, its admin port refuses), SIGTERM (it resigns) or SIGSTOP (its lease stops, its port still
 * accepts), and BIND is asked every 5 ms for the zone's fence record until it shows a higher epoch:
 * the new leader's first write. Then a killed or terminated node is started again and a frozen one
 * resumed (it rejoins as a follower), so every run starts with three. Each configured session
 * timeout (the default 6 s and a short 3 s) runs on its own cluster path; in the same run, SIGKILL
 * with the lease disabled (the session expiry alone) at the first session timeout, as the anchor.
 *
 * <p>ZooKeeper runs in this JVM with a 250 ms tick, as {@code haddns zookeeper} does, so both
 * timeouts are granted as asked (a stock {@code tickTime=2000} server clamps sessions to ≥ 4 s and
 * checks expiry in 2 s steps).
 *
 * <p>A smoke run ({@link BenchSize}): one run per signal, at the 3 s session only.
 */
class LeaderFailoverBenchmark {
  static final BenchSize SIZE = BenchSize.current();
  static final int RUNS = SIZE.option("haddns.bench.failoverRuns", 20, 1);
  static final int ANCHOR_RUNS = SIZE.option("haddns.bench.failoverAnchorRuns", 5, 1);

  /** keepalived's fastest advertisement interval (VRRPv3: 10 ms) and its default (1 s). */
  static final List<String> KEEPALIVED_ADVERTS = SIZE.pick(List.of("0.01", "1"), List.of("0.01"));

  static final List<Duration> SESSIONS =
      SIZE.pick(
          List.of(Duration.ofSeconds(6), Duration.ofSeconds(3)), List.of(Duration.ofSeconds(3)));
  static final List<String> JVM_FLAGS = List.of("-Xmx128m", "-XX:+UseSerialGC");
  static final int TICK_MS = 250;
  static final long POLL_MS = 5;
  static final Duration GRACEFUL_TARGET = Duration.ofMillis(500);
  static final Duration LEASE_TARGET = Duration.ofSeconds(1);

  @TempDir Path dir;

  /** How the leader is stopped. */
  enum Stop {
    SIGKILL,
    SIGTERM,
    SIGSTOP
  }

  record Row(Duration session, boolean lease, Stop stop, Samples took, List<String> newLeaders) {
    /** The target: p95 ≤ 1 s with the lease, a graceful hand-over ≤ 0.5 s, else session + 1 s. */
    Duration target() {
      if (stop == Stop.SIGTERM) {
        return GRACEFUL_TARGET;
      }
      return lease ? LEASE_TARGET : session.plusSeconds(1);
    }
  }

  @Test
  void leaderLossToNewLeadersFirstWrite() throws Exception {
    Path jar = Path.of(System.getProperty("haddns.bench.jar", "target/haddns.jar"));
    assertThat(jar).as("the shaded controller jar (package phase)").exists();
    List<Row> rows = new ArrayList<>();
    InetAddress a = InetAddress.getByName("127.0.0.21");
    InetAddress b = InetAddress.getByName("127.0.0.22");
    int port = LineListener.freePort(a, b);
    try (TestingServer zk =
            new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1), true);
        LineListener lineA = new LineListener(a, port).open();
        LineListener lineB = new LineListener(b, port).open()) {
      for (Duration session : SESSIONS) {
        rows.addAll(cluster(jar, zk, a, b, port, session, true, List.of(Stop.values()), RUNS));
      }
      rows.addAll(
          cluster(jar, zk, a, b, port, SESSIONS.get(0), false, List.of(Stop.SIGKILL), ANCHOR_RUNS));
    }
    report(rows);
    assertThat(rows).as("rows").hasSize(SESSIONS.size() * Stop.values().length + 1);
    for (Row row : rows) {
      BenchSize.measured(row.session + " " + row.stop + " lease=" + row.lease, row.took);
    }
  }

  /**
   * The anchor measured in the same run (docs/benchmarks.md): keepalived moving a virtual address
   * between two network namespaces (VRRPv3) when the master's keepalived is SIGKILLed, at its
   * fastest advertisement interval (10 ms) and at its default (1 s). T0 = the signal; time = the
   * first {@code ip addr} of the backup's namespace that shows the address (asked every ~5 ms).
   */
  @Test
  void keepalivedMovesAVirtualAddressAnchor() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (String advert : KEEPALIVED_ADVERTS) {
      Path work = Files.createDirectories(dir.resolve("keepalived-" + advert));
      Samples took = new Samples();
      int runs = advert.equals("1") ? ANCHOR_RUNS : RUNS;
      try (KeepalivedPair pair = KeepalivedPair.start(work, advert)) {
        for (int run = 0; run < runs; run++) {
          Thread.sleep(ThreadLocalRandom.current().nextInt(100));
          long t0 = System.nanoTime();
          pair.killMaster();
          long deadline = t0 + Duration.ofSeconds(30).toNanos();
          while (!pair.backupHolds()) {
            if (System.nanoTime() > deadline) {
              throw new AssertionError(
                  "keepalived backup never took the address, advert " + advert);
            }
            Thread.sleep(POLL_MS);
          }
          took.addNanos(System.nanoTime() - t0);
          pair.restartMaster();
        }
      }
      BenchSize.measured("keepalived advert_int " + advert, took);
      rows.add(new Row(Duration.ZERO, false, Stop.SIGKILL, took, List.of(advert)));
    }
    BenchReport r =
        new BenchReport(
            "LeaderFailoverBenchmark-keepalived",
            "Anchor: keepalived master SIGKILLed → backup holds the virtual address");
    r.line("Machine: " + BenchReport.machine() + ".")
        .line(
            "keepalived (VRRPv3, `--vrrp`) in two network namespaces joined by a veth pair,"
                + " priorities 200 (master) and 100, preempting; the master's keepalived processes"
                + " are SIGKILLed (no priority-0 goodbye), then it is started again and takes the"
                + " address back before the next run.");
    List<List<String>> table = new ArrayList<>();
    for (Row row : rows) {
      Samples t = row.took;
      table.add(
          List.of(
              row.newLeaders.get(0) + " s",
              String.valueOf(t.count()),
              Samples.millis(t.minNanos()),
              Samples.millis(t.medianNanos()),
              Samples.millis(t.percentileNanos(95)),
              Samples.millis(t.maxNanos())));
    }
    r.table(List.of("advert_int", "runs", "min", "median", "p95", "max"), table);
    r.publish();
  }

  /** One cluster (its own BIND and cluster path): {@code runs} runs of each of {@code stops}. */
  private List<Row> cluster(
      Path jar,
      TestingServer zk,
      InetAddress a,
      InetAddress b,
      int port,
      Duration session,
      boolean lease,
      List<Stop> stops,
      int runs)
      throws Exception {
    String name = "lf" + session.toSeconds() + (lease ? "" : "nolease");
    Path work = Files.createDirectories(dir.resolve(name));
    List<Row> rows = new ArrayList<>();
    try (DnsTestServer bind = BindServer.start(work.resolve("bind"), ProcessNodes.ZONE)) {
      Path config = work.resolve("haddns.yaml");
      Files.writeString(
          config, yaml(name, zk, session, lease, bind, work, a, b, port), StandardCharsets.UTF_8);
      try (ProcessNodes nodes = ProcessNodes.start(jar, JVM_FLAGS, config, work, 3)) {
        for (Stop stop : stops) {
          rows.add(runs(nodes, bind, session, lease, stop, runs));
        }
      }
    }
    return rows;
  }

  private Row runs(
      ProcessNodes nodes, DnsTestServer bind, Duration session, boolean lease, Stop stop, int runs)
      throws Exception {
    Samples took = new Samples();
    List<String> newLeaders = new ArrayList<>();
    Duration wait = session.plusSeconds(20);
    for (int run = 0; run < runs; run++) {
      int leader = nodes.awaitSettledLeader(() -> fenceEpoch(bind), Duration.ofSeconds(60));
      long oldEpoch = fenceEpoch(bind);
      // A random phase against ZooKeeper's tick and the nodes' pings.
      Thread.sleep(ThreadLocalRandom.current().nextInt(500));
      long t0 = System.nanoTime();
      switch (stop) {
        case SIGKILL -> nodes.process(leader).kill();
        case SIGTERM -> nodes.process(leader).terminate();
        case SIGSTOP -> nodes.process(leader).freeze();
      }
      long deadline = t0 + wait.toNanos();
      while (fenceEpoch(bind) <= oldEpoch) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              stop + " run " + run + ": no new fence at BIND within " + wait + nodes.logTails());
        }
        Thread.sleep(POLL_MS);
      }
      took.addNanos(System.nanoTime() - t0);
      if (stop == Stop.SIGSTOP) {
        // It wakes, finds its latch node gone at its next renewal and follows.
        nodes.process(leader).resume();
      } else {
        nodes.process(leader).awaitExit(Duration.ofSeconds(30)); // throws if it did not exit
        nodes.restart(leader);
      }
      newLeaders.add(
          ProcessNodes.nodeId(
              nodes.awaitSettledLeader(() -> fenceEpoch(bind), Duration.ofSeconds(60))));
    }
    return new Row(session, lease, stop, took, newLeaders);
  }

  /** The epoch in the zone's fence TXT record at the server; -1 when absent or unanswered. */
  static long fenceEpoch(DnsTestServer dns) {
    try {
      return dns.query("_haddns-fence." + ProcessNodes.ZONE, Type.TXT).stream()
          .map(r -> r.rdataToString().replace("\"", ""))
          .filter(s -> s.startsWith("epoch="))
          .mapToLong(s -> Long.parseLong(s.substring("epoch=".length())))
          .max()
          .orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private static String yaml(
      String name,
      TestingServer zk,
      Duration session,
      boolean lease,
      DnsTestServer dns,
      Path work,
      InetAddress a,
      InetAddress b,
      int port)
      throws IOException {
    Path secret = work.resolve("tsig.secret");
    Files.writeString(secret, dns.tsigSecretBase64());
    return """
        cluster:
          name: %s
          zookeeper: %s
          zookeeperAuth: %s
          sessionTimeout: %ds
          connectionTimeout: 2s
          resyncInterval: 60s
          leaderLease: { enabled: %s }
        %szones:
          - name: %s
            provider:
              type: rfc2136
              server: 127.0.0.1:%d
              tsig: { name: %s, algorithm: hmac-sha256, secretFile: %s }
        records:
          - { name: %s, type: A, ttl: 30, policy: failover, lines: [a, b] }
        """
        .formatted(
            name,
            zk.getConnectString(),
            // One identity for every cluster path: the first one creates /haddns with its ACL.
            ZkDigestSecret.yaml(work.getParent()),
            session.toSeconds(),
            lease,
            FastLines.yaml(a.getHostAddress(), port, b.getHostAddress(), port),
            ProcessNodes.ZONE,
            dns.port(),
            dns.tsigName(),
            secret,
            ProcessNodes.RECORD);
  }

  private static void report(List<Row> rows) throws IOException {
    BenchReport r =
        new BenchReport(
            "LeaderFailoverBenchmark",
            "Leader stopped → new leader's first DNS write ("
                + RUNS
                + " runs each; "
                + ANCHOR_RUNS
                + " with the lease disabled)");
    r.line("Machine: " + BenchReport.machine() + ".")
        .line(
            "haddns: 3 controller processes (`java "
                + String.join(" ", JVM_FLAGS)
                + " -jar haddns.jar controller`) on one ZooKeeper (in the benchmark JVM, tick "
                + TICK_MS
                + " ms), one zone on BIND by RFC 2136. T0 = the signal to the leader; time = first"
                + " answer of BIND (asked over UDP every "
                + POLL_MS
                + " ms) whose fence TXT record shows a higher epoch. A killed or terminated node is"
                + " started again, a frozen one resumed (SIGCONT) once the new fence is seen,"
                + " before the next run. Leader lease at its defaults (renew 150 ms, detection"
                + " 600 ms, refused port 300 ms, check 50 ms, the followers' connection watch on)"
                + " unless disabled.");
    List<List<String>> table = new ArrayList<>();
    for (Row row : rows) {
      Samples t = row.took;
      long target = row.target().toNanos();
      String targetText =
          row.stop == Stop.SIGTERM
              ? "≤ 0.5 s"
              : row.lease
                  ? "p95 ≤ 1 s"
                  : "≤ " + (row.session.toSeconds() + 1) + " s (session + 1 s)";
      table.add(
          List.of(
              row.session.toSeconds() + " s",
              row.lease ? "on" : "off",
              row.stop.name(),
              String.valueOf(t.count()),
              Samples.millis(t.minNanos()),
              Samples.millis(t.medianNanos()),
              Samples.millis(t.percentileNanos(95)),
              Samples.millis(t.maxNanos()),
              Samples.ratio(t.medianNanos(), row.session.toNanos()),
              targetText,
              t.maxNanos() <= target
                  ? "met"
                  : t.percentileNanos(95) <= target ? "met at p95, not at max" : "missed"));
    }
    r.table(
        List.of(
            "session timeout",
            "lease",
            "leader stopped by",
            "runs",
            "min",
            "median",
            "p95",
            "max",
            "median ÷ session timeout",
            "target",
            "verdict"),
        table);
    for (Row row : rows) {
      r.line(
          "- "
              + row.session.toSeconds()
              + " s, lease "
              + (row.lease ? "on" : "off")
              + ", "
              + row.stop
              + " samples (ms): "
              + row.took.all().stream().map(n -> String.valueOf(Math.round(n / 1e6))).toList()
              + "; new leaders: "
              + row.newLeaders);
    }
    r.line("")
        .line(
            "Anchors (documented, not measured here): Kubernetes Lease-based leader election 15 s"
                + " (the lease duration of Kubernetes' own controllers,"
                + " `--leader-elect-lease-duration=15s`), keepalived ~3.6 s (VRRP master down"
                + " interval: 3 × a 1 s advertisement interval + skew), Apache Curator up to 40 s"
                + " (its 60 s default session timeout, clamped to 20 ticks of a stock ZooKeeper with"
                + " `tickTime=2000`).");
    r.publish();
  }
}
