package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.LineListener;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/benchmarks.md, target "line failure → authoritative answer changed": three in-JVM controller
 * nodes writing BIND by RFC 2136, against PowerDNS' LUA {@code ifportup} health checks on the same
 * two lines, in the same run. One line failure drives both: at T0 line A fails, and a poller per
 * server (UDP, every ~5 ms) records when the answer changes from A to B. Then A is restored and
 * both must fall back before the next run. Two failure modes: A's port refusing (listener closed),
 * and A black-holed (its network-namespace host's link down: probes time out).
 *
 * <p>The same cluster also manages a record in a zone on its embedded DNS server, asked at a
 * follower's server (so replication through ZooKeeper is included): a third row, driven by the same
 * failures. A smoke run ({@link BenchSize}): one run per failure mode.
 */
class LineFailureBenchmark {
  static final int RUNS = BenchSize.current().option("haddns.bench.runs", 20, 1);
  static final long TARGET_P95_NANOS = 500_000_000L;
  static final long WAIT_NANOS = 15_000_000_000L;

  @TempDir Path dir;

  /** One server answering for the record, polled like the others. */
  record Source(String label, Callable<String> answer) {}

  /** A failure mode: how line A fails and comes back. */
  interface Failure {
    void fail() throws IOException;

    void restore() throws IOException;
  }

  private record SourceResult(
      String label, Samples failover, Samples failback, int flaps, int otherAnswers, int lost) {}

  private record ModeResult(String mode, List<SourceResult> sources, long queries) {}

  @Test
  void lineFailureToAnswerChange() throws Exception {
    List<ModeResult> results = new ArrayList<>();
    InetAddress a1 = InetAddress.getByName("127.0.0.21");
    InetAddress b = InetAddress.getByName("127.0.0.22");
    int port1 = LineListener.freePort(a1, b);
    try (LineListener lineA = new LineListener(a1, port1).open();
        LineListener lineB = new LineListener(b, port1).open()) {
      results.add(
          measure(
              "port refusing (listener closed)",
              a1,
              b,
              port1,
              new Failure() {
                @Override
                public void fail() throws IOException {
                  lineA.down();
                }

                @Override
                public void restore() throws IOException {
                  lineA.open();
                }
              }));
    }
    int port2 = LineListener.freePort(b);
    try (NetnsLine lineA = NetnsLine.create(port2);
        LineListener lineB = new LineListener(b, port2).open()) {
      results.add(
          measure(
              "black-holed (namespace host's link down)",
              lineA.address(),
              b,
              port2,
              new Failure() {
                @Override
                public void fail() throws IOException {
                  lineA.blackhole();
                }

                @Override
                public void restore() throws IOException {
                  lineA.restore();
                }
              }));
    }
    report(results);
  }

  /**
   * The embedded DNS server of a follower: the leader writes the applied state to ZooKeeper, the
   * follower's server answers from its replicated copy, so replication is part of the time.
   */
  private List<Source> extraSources(FailoverCluster cluster) throws InterruptedException {
    Map.Entry<String, Integer> follower = cluster.followerDnsPort();
    return List.of(
        new Source(
            "haddns embedded DNS (follower " + follower.getKey() + ")",
            () -> PowerDnsServer.answerA(follower.getValue(), FailoverCluster.EMBEDDED_RECORD)));
  }

  private ModeResult measure(String mode, InetAddress a, InetAddress b, int port, Failure failure)
      throws Exception {
    String addrA = a.getHostAddress();
    String addrB = b.getHostAddress();
    Path work = dir.resolve("mode" + (mode.startsWith("port") ? 1 : 2));
    try (DnsTestServer bind = BindServer.start(work.resolve("bind"), FailoverCluster.ZONE);
        FailoverCluster cluster = FailoverCluster.start(work, bind, a, b, port, 3);
        PowerDnsServer pdns =
            PowerDnsServer.start(
                work.resolve("pdns"), FailoverCluster.ZONE, lua(addrA, addrB, port))) {
      List<Source> sources = new ArrayList<>();
      sources.add(
          new Source(
              "haddns → BIND (RFC 2136)",
              () -> PowerDnsServer.answerA(bind.port(), FailoverCluster.RECORD)));
      sources.add(new Source("PowerDNS LUA ifportup", () -> pdns.answerA(FailoverCluster.RECORD)));
      sources.addAll(extraSources(cluster));
      List<AnswerPoller> pollers = new ArrayList<>();
      try {
        for (Source s : sources) {
          pollers.add(new AnswerPoller(s.label(), s.answer()));
        }
        awaitAll(pollers, addrA, "initial answer " + addrA);
        Thread.sleep(1500);
        return runs(mode, pollers, failure, addrA, addrB);
      } finally {
        for (AnswerPoller p : pollers) {
          p.close();
        }
      }
    }
  }

  /**
   * First healthy line in order, from ifportup's health checks: PowerDNS 4.7's {@code ifportup}
   * picks among the healthy addresses with a selector (random, hashed, pickclosest, all) and has no
   * ordered choice, so {@code selector='all'} returns every healthy address and the snippet picks A
   * when it is among them. 1 s checks, 1 s connect timeout (the smallest, in whole seconds), and a
   * line is down after one failed check (4.7 has no failure threshold).
   */
  static String lua(String a, String b, int port) {
    return ";local up = ifportup("
        + port
        + ", {'"
        + a
        + "','"
        + b
        + "'}, {selector='all', backupSelector='all', timeout='1'})"
        + " for _, x in ipairs(up) do if x == '"
        + a
        + "' then return x end end return '"
        + b
        + "'";
  }

  private ModeResult runs(
      String mode, List<AnswerPoller> pollers, Failure failure, String addrA, String addrB)
      throws Exception {
    Map<AnswerPoller, Samples> failover = new LinkedHashMap<>();
    Map<AnswerPoller, Samples> failback = new LinkedHashMap<>();
    Map<AnswerPoller, int[]> counts = new LinkedHashMap<>(); // flaps, other answers, lost runs
    for (AnswerPoller p : pollers) {
      failover.put(p, new Samples());
      failback.put(p, new Samples());
      counts.put(p, new int[3]);
    }
    long steadySince = System.nanoTime();
    for (int run = 0; run < RUNS; run++) {
      // A random phase against the probe and health-check intervals.
      Thread.sleep(300 + ThreadLocalRandom.current().nextInt(1000));
      long t0 = System.nanoTime();
      for (AnswerPoller p : pollers) {
        // Any change while A was healthy is flapping too.
        counts.get(p)[0] +=
            p.changesSince(steadySince).stream().filter(c -> c.nanos() < t0).count();
      }
      failure.fail();
      awaitAll(pollers, addrB, "run " + run + ": answer " + addrB + " after the failure");
      Thread.sleep(1000);
      long tr = System.nanoTime();
      failure.restore();
      for (AnswerPoller p : pollers) {
        List<AnswerPoller.Change> down =
            p.changesSince(t0).stream().filter(c -> c.nanos() < tr).toList();
        int firstB = -1;
        for (int i = 0; i < down.size(); i++) {
          if (down.get(i).answer().equals(addrB)) {
            firstB = i;
            break;
          }
        }
        if (firstB < 0) {
          counts.get(p)[2]++;
          continue;
        }
        failover.get(p).addNanos(down.get(firstB).nanos() - t0);
        counts.get(p)[1] += firstB;
        counts.get(p)[0] += down.size() - firstB - 1;
      }
      awaitAll(pollers, addrA, "run " + run + ": answer " + addrA + " after the restore");
      for (AnswerPoller p : pollers) {
        p.changesSince(tr).stream()
            .filter(c -> c.answer().equals(addrA))
            .findFirst()
            .ifPresent(c -> failback.get(p).addNanos(c.nanos() - tr));
      }
      steadySince = System.nanoTime();
    }
    List<SourceResult> out = new ArrayList<>();
    long queries = 0;
    for (AnswerPoller p : pollers) {
      int[] c = counts.get(p);
      out.add(new SourceResult(p.label(), failover.get(p), failback.get(p), c[0], c[1], c[2]));
      queries += p.queries();
    }
    return new ModeResult(mode, out, queries);
  }

  private static void awaitAll(List<AnswerPoller> pollers, String answer, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (System.nanoTime() < deadline) {
      if (pollers.stream().allMatch(p -> p.current().equals(answer))) {
        return;
      }
      Thread.sleep(5);
    }
    List<String> now = pollers.stream().map(p -> p.label() + "=" + p.current()).toList();
    throw new AssertionError(what + ": not within 15 s: " + now);
  }

  private static void report(List<ModeResult> results) throws IOException {
    BenchReport r =
        new BenchReport(
            "LineFailureBenchmark",
            "Line failure → authoritative answer changed (" + RUNS + " runs)");
    r.line("Machine: " + BenchReport.machine() + ".")
        .line(
            "haddns: 3 in-JVM controller nodes (3-server ZooKeeper quorum in the same JVM), TCP"
                + " probes every 100 ms, timeout 80 ms, fall 3, rise 2; the leader writes BIND by"
                + " RFC 2136 and the same record in a zone on the embedded DNS server, asked at a"
                + " follower's server (replication included). PowerDNS 4.7: LUA `ifportup` on the same two lines,"
                + " `lua-health-checks-interval=1`, `timeout='1'`, caches off. One failure of line A"
                + " at T0 drives both; each server is asked over UDP every ~5 ms; time = first"
                + " answer B − T0. Flaps = answer changes while A was down after the first B, plus"
                + " changes while A was healthy; other answers = transitional answers before B.");
    for (ModeResult m : results) {
      r.line("").line("## " + m.mode);
      List<List<String>> rows = new ArrayList<>();
      SourceResult anchor =
          m.sources.stream().filter(s -> s.label.startsWith("PowerDNS")).findFirst().orElseThrow();
      for (SourceResult s : m.sources) {
        Samples f = s.failover;
        boolean isAnchor = s == anchor;
        rows.add(
            List.of(
                s.label,
                String.valueOf(f.count()),
                Samples.millis(f.minNanos()),
                Samples.millis(f.medianNanos()),
                Samples.millis(f.percentileNanos(95)),
                Samples.millis(f.maxNanos()),
                String.valueOf(s.flaps),
                String.valueOf(s.otherAnswers),
                s.failback.count() == 0 ? "-" : Samples.millis(s.failback.medianNanos()),
                isAnchor ? "1.00" : Samples.ratio(f.medianNanos(), anchor.failover.medianNanos()),
                isAnchor
                    ? "(anchor)"
                    : verdict(f, s.flaps + s.lost, anchor.failover.medianNanos())));
      }
      r.table(
          List.of(
              "answering server",
              "runs",
              "min",
              "median",
              "p95",
              "max",
              "flaps",
              "other answers",
              "fail-back median",
              "median ÷ PowerDNS",
              "target p95 ≤ 0.5 s, median < PowerDNS, no flaps"),
          rows);
      for (SourceResult s : m.sources) {
        r.line(
            "- "
                + s.label
                + " failover samples (ms): "
                + s.failover.all().stream().map(n -> String.valueOf(Math.round(n / 1e6))).toList()
                + (s.lost > 0 ? "; runs without an answer change: " + s.lost : ""));
      }
    }
    r.publish();
    for (ModeResult m : results) {
      for (SourceResult s : m.sources) {
        assertThat(s.lost).as(m.mode + " " + s.label + ": runs without a change").isZero();
        BenchSize.measured(m.mode + " " + s.label + ": failover", s.failover);
      }
    }
  }

  private static String verdict(Samples f, int flaps, long anchorMedian) {
    List<String> missed = new ArrayList<>();
    if (f.percentileNanos(95) > TARGET_P95_NANOS) {
      missed.add("p95 > 0.5 s");
    }
    if (f.medianNanos() >= anchorMedian) {
      missed.add("median not below PowerDNS");
    }
    if (flaps > 0) {
      missed.add("flapping");
    }
    return missed.isEmpty() ? "met" : "missed (" + String.join(", ", missed) + ")";
  }
}
