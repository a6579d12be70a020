package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.FreePorts;
import io.haddns.controller.testing.LineListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * docs/benchmarks.md, target "embedded DNS ≥ BIND's and ≥ 0.9 × Knot's QPS under dnsperf, same
 * run", with response-time percentiles at a fixed rate beside the throughput: one controller
 * process ({@code java -Xmx128m -XX:+UseSerialGC -jar haddns.jar controller}, the flags its
 * documented runs used; single node with its embedded ZooKeeper) serving a zone of 1,000 A records
 * from its embedded DNS server, and in the same run Knot and BIND serving the same names from a
 * zone file. The same query file (the 1,000 names and 100 names that do not exist, shuffled), the
 * same dnsperf settings and duration, UDP on 127.0.0.1; the servers take turns, {@link #ROUNDS}
 * rounds, each after one warm-up run. After each server's throughput run, a run at {@link
 * #LATENCY_QPS} queries per second takes every answer's response time. A smoke run ({@link
 * BenchSize}): 100 names, one round of 2 s after a 1 s warm-up, 1 s at 2,000 queries per second.
 */
class EmbeddedDnsThroughputBenchmark {
  static final String ZONE = "perf.test";
  static final BenchSize SIZE = BenchSize.current();
  static final int NAMES = SIZE.pick(1_000, 100);
  static final int MISSING = SIZE.pick(100, 10);
  static final int LINES = 4;
  static final int SECONDS = SIZE.option("haddns.bench.dnsSeconds", 20, 2);
  static final int WARMUP_SECONDS = SIZE.pick(5, 1);
  static final int ROUNDS = SIZE.pick(3, 1);
  static final int LATENCY_QPS = SIZE.option("haddns.bench.latencyQps", 20_000, 2_000);
  static final int LATENCY_SECONDS = SIZE.pick(10, 1);
  static final double KNOT_TARGET = 0.9;
  static final double BIND_TARGET = 1.0;
  static final List<String> JVM_FLAGS = List.of("-Xmx128m", "-XX:+UseSerialGC");

  @TempDir Path dir;

  /** One server under test. */
  private record Target(String label, int port, long pid) {}

  private record Run(
      Target target,
      int round,
      Dnsperf.Result result,
      double cpuCores,
      double machineBusy,
      Dnsperf.Latencies latencies) {}

  @Test
  void embeddedDnsQpsAgainstKnotAndBind() throws Exception {
    Path jar = Path.of(System.getProperty("haddns.bench.jar", "target/haddns.jar"));
    assertThat(jar).as("the shaded controller jar (package phase)").exists();
    List<InetAddress> lineAddresses = new ArrayList<>();
    for (int l = 0; l < LINES; l++) {
      lineAddresses.add(InetAddress.getByName("127.0.0." + (31 + l)));
    }
    Path queries = writeQueries();
    Dnsperf perf = new Dnsperf(queries, 4, 1, 100);
    int linePort = LineListener.freePort(lineAddresses.toArray(InetAddress[]::new));
    List<LineListener> listeners = new ArrayList<>();
    try {
      for (InetAddress a : lineAddresses) {
        listeners.add(new LineListener(a, linePort).open());
      }
      int dnsPort = FreePorts.tcpAndUdp(InetAddress.getByName("127.0.0.1"));
      int httpPort = FreePorts.tcpAndUdp(InetAddress.getByName("127.0.0.1"));
      Path config = dir.resolve("haddns.yaml");
      Files.writeString(config, config(lineAddresses, linePort), StandardCharsets.UTF_8);
      String zoneText = zoneFile(lineAddresses);
      try (ControllerProcess haddns =
              ControllerProcess.launch(
                  jar,
                  JVM_FLAGS,
                  config,
                  "perf-1",
                  httpPort,
                  dir.resolve("controller.log"),
                  List.of("--dns-host", "127.0.0.1", "--dns-port", String.valueOf(dnsPort)));
          StaticZoneServer knot =
              StaticZoneServer.start(
                  StaticZoneServer.Kind.KNOT, dir.resolve("knot"), ZONE, zoneText);
          StaticZoneServer bind =
              StaticZoneServer.start(
                  StaticZoneServer.Kind.BIND, dir.resolve("bind"), ZONE, zoneText)) {
        List<Target> targets =
            List.of(
                new Target("haddns embedded DNS", dnsPort, haddns.pid()),
                new Target(knot.label() + " (anchor)", knot.port(), knot.pid()),
                new Target(bind.label(), bind.port(), bind.pid()));
        for (Target t : targets) {
          awaitAllNames(t, lineAddresses);
        }
        for (Target t : targets) {
          perf.run(t.port, WARMUP_SECONDS);
        }
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
          for (Target t : targets) {
            double cpu0 = cpuSeconds(t.pid);
            double busy0 = machineBusySeconds();
            Dnsperf.Result r = perf.run(t.port, SECONDS);
            double cpu = (cpuSeconds(t.pid) - cpu0) / SECONDS;
            double busy = (machineBusySeconds() - busy0) / SECONDS;
            Dnsperf.Latencies l = perf.latencies(t.port, LATENCY_SECONDS, LATENCY_QPS);
            runs.add(new Run(t, round, r, cpu, busy, l));
          }
        }
        assertThat(haddns.isAlive()).isTrue();
        report(perf, runs);
      }
    } finally {
      for (LineListener l : listeners) {
        l.close();
      }
    }
  }

  static String name(int i) {
    return String.format(Locale.ROOT, "h%04d.%s", i, ZONE);
  }

  /** Each existing name once and {@link #MISSING} names that do not exist, in a fixed shuffle. */
  private Path writeQueries() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < NAMES; i++) {
      lines.add(name(i) + " A");
    }
    for (int i = 0; i < MISSING; i++) {
      lines.add(String.format(Locale.ROOT, "nx%04d.%s A", i, ZONE));
    }
    Collections.shuffle(lines, new Random(42));
    Path file = dir.resolve("queries.txt");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private String config(List<InetAddress> lines, int port) {
    StringBuilder y = new StringBuilder();
    y.append("cluster:\n  name: perf\n  dataDir: ").append(dir.resolve("data")).append('\n');
    y.append("lines:\n");
    for (int l = 0; l < lines.size(); l++) {
      y.append("  - { name: l")
          .append(l)
          .append(", address: { static: [")
          .append(lines.get(l).getHostAddress())
          .append("] }, probes: [ { tcp: { port: ")
          .append(port)
          .append(" } } ] }\n");
    }
    y.append("zones:\n  - name: ").append(ZONE).append("\n    provider: { type: embedded }\n");
    y.append("records:\n");
    for (int i = 0; i < NAMES; i++) {
      y.append("  - { name: ")
          .append(name(i))
          .append(", type: A, ttl: 60, lines: [l")
          .append(i % LINES)
          .append("] }\n");
    }
    return y.toString();
  }

  /** The same names and addresses as the embedded zone, with its NS and glue. */
  private static String zoneFile(List<InetAddress> lines) {
    StringBuilder z = new StringBuilder();
    z.append("$TTL 60\n")
        .append("@ IN SOA ns1.")
        .append(ZONE)
        .append(". hostmaster.")
        .append(ZONE)
        .append(". 1 3600 600 86400 60\n")
        .append("@ IN NS ns1.")
        .append(ZONE)
        .append(".\n")
        .append("ns1 IN A 127.0.0.1\n");
    for (int i = 0; i < NAMES; i++) {
      z.append(name(i))
          .append(". IN A ")
          .append(lines.get(i % LINES).getHostAddress())
          .append('\n');
    }
    return z.toString();
  }

  /**
   * Waits until the server answers every name with its line's address and a missing name with
   * NXDOMAIN: the embedded zone fills once the node leads and has probed the lines.
   */
  private static void awaitAllNames(Target t, List<InetAddress> lines) throws Exception {
    SimpleResolver res = new SimpleResolver(new InetSocketAddress("127.0.0.1", t.port));
    res.setTimeout(Duration.ofMillis(500));
    long deadline = System.nanoTime() + 60_000_000_000L;
    int i = 0;
    while (i < NAMES) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(t.label + " does not answer " + name(i) + " within 60 s");
      }
      List<String> a = List.of();
      try {
        a =
            res.send(query(name(i))).getSection(Section.ANSWER).stream()
                .map(Record::rdataToString)
                .toList();
      } catch (IOException e) {
        a = List.of("error: " + e); // the process is still starting: ask again
      }
      if (a.equals(List.of(lines.get(i % LINES).getHostAddress()))) {
        i++;
      } else {
        Thread.sleep(100);
      }
    }
    Message nx = res.send(query("nx0000." + ZONE));
    assertThat(nx.getRcode()).as(t.label + " missing name").isEqualTo(Rcode.NXDOMAIN);
  }

  private static Message query(String name) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN));
  }

  /** User + system CPU time of a process so far ({@code /proc/<pid>/stat}, 100 ticks/s). */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command: state is field 3, utime 14 and stime 15 (proc(5)).
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  /** CPU time of the whole machine, all cores, not idle ({@code /proc/stat}, 100 ticks/s). */
  static double machineBusySeconds() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      // user nice system idle iowait irq softirq steal: all but idle (4) and iowait (5).
      if (i != 4 && i != 5) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy / 100.0;
  }

  private static void report(Dnsperf perf, List<Run> runs) throws IOException {
    BenchReport r =
        new BenchReport(
            "EmbeddedDnsThroughputBenchmark", "Embedded DNS server: queries per second (dnsperf)");
    r.line("Machine: " + BenchReport.machine() + ".")
        .line(
            "Zone "
                + ZONE
                + ": "
                + NAMES
                + " A records over "
                + LINES
                + " lines. haddns: one controller process, `java "
                + String.join(" ", JVM_FLAGS)
                + " -jar haddns.jar controller` (single node, embedded ZooKeeper), answering from"
                + " its embedded DNS server. Knot DNS and BIND 9: the same names from a zone file,"
                + " default worker threads (one per core), log level info. Query file: the "
                + NAMES
                + " names and "
                + MISSING
                + " missing names (NXDOMAIN), shuffled. `dnsperf "
                + perf.flags(SECONDS)
                + "` (no -Q: unlimited), UDP on 127.0.0.1, servers in turn, "
                + ROUNDS
                + " rounds, after one "
                + WARMUP_SECONDS
                + " s warm-up run each. dnsperf and the server share the 2 cores. Server CPU ="
                + " the server process's user + system time ÷ run time; machine busy = all"
                + " processes' (dnsperf, the server, other jobs), from /proc/stat.");
    List<List<String>> rows = new ArrayList<>();
    List<List<String>> latencyRows = new ArrayList<>();
    for (Run run : runs) {
      Dnsperf.Result x = run.result;
      double ratio = x.qps() / sameRound(runs, run, "Knot").result.qps();
      double toBind = x.qps() / sameRound(runs, run, "BIND").result.qps();
      Dnsperf.Latencies l = run.latencies;
      latencyRows.add(
          List.of(
              run.target.label,
              String.valueOf(run.round),
              String.format(Locale.ROOT, "%.3f ms", l.p50Ms()),
              String.format(Locale.ROOT, "%.3f ms", l.p90Ms()),
              String.format(Locale.ROOT, "%.3f ms", l.p99Ms()),
              String.format(Locale.ROOT, "%.3f ms", l.p999Ms()),
              String.format(Locale.ROOT, "%.1f ms", l.maxMs()),
              l.answered() + " (" + l.lost() + " lost)"));
      rows.add(
          List.of(
              run.target.label,
              String.valueOf(run.round),
              String.format(Locale.ROOT, "%,.0f", x.qps()),
              String.format(Locale.ROOT, "%.3f ms", x.avgLatencyMs()),
              String.format(Locale.ROOT, "%.1f ms", x.maxLatencyMs()),
              x.lost() + " of " + x.sent(),
              x.responseCodes(),
              x.replyBytes() + " B",
              String.format(Locale.ROOT, "%.2f", run.cpuCores),
              String.format(Locale.ROOT, "%,.0f", x.qps() / run.cpuCores),
              String.format(Locale.ROOT, "%.2f", run.machineBusy),
              String.format(Locale.ROOT, "%.2f", ratio),
              String.format(Locale.ROOT, "%.2f", toBind),
              run.target.label.startsWith("haddns") ? verdict(ratio, toBind) : ""));
    }
    r.table(
        List.of(
            "server",
            "round",
            "QPS",
            "avg latency",
            "max latency",
            "lost",
            "response codes",
            "avg reply",
            "server CPU (cores)",
            "QPS per server core",
            "machine busy (cores)",
            "QPS ÷ Knot (same round)",
            "QPS ÷ BIND (same round)",
            "target ≥ 0.9 × Knot and ≥ BIND"),
        rows);
    r.line(
        "Response times at "
            + String.format(Locale.ROOT, "%,d", LATENCY_QPS)
            + " queries per second (`-Q "
            + LATENCY_QPS
            + " -v`, "
            + LATENCY_SECONDS
            + " s after each throughput run; every answer's time as dnsperf prints it):");
    r.table(
        List.of("server", "round", "p50", "p90", "p99", "p99.9", "max", "answers"), latencyRows);
    List<List<String>> summary = new ArrayList<>();
    for (Run first : runs.subList(0, runs.size() / ROUNDS)) {
      List<Run> mine = runs.stream().filter(x -> x.target == first.target).toList();
      List<Double> qps = mine.stream().map(x -> x.result.qps()).sorted().toList();
      List<Double> ratios =
          mine.stream()
              .map(x -> x.result.qps() / sameRound(runs, x, "Knot").result.qps())
              .sorted()
              .toList();
      List<Double> toBind =
          mine.stream()
              .map(x -> x.result.qps() / sameRound(runs, x, "BIND").result.qps())
              .sorted()
              .toList();
      double median = ratios.get((ratios.size() - 1) / 2);
      double medianToBind = toBind.get((toBind.size() - 1) / 2);
      summary.add(
          List.of(
              first.target.label,
              String.format(Locale.ROOT, "%,.0f", qps.get((qps.size() - 1) / 2)),
              String.format(Locale.ROOT, "%.2f – %.2f", ratios.get(0), ratios.getLast()),
              String.format(Locale.ROOT, "%.2f", median),
              String.format(Locale.ROOT, "%.2f", medianToBind),
              first.target.label.startsWith("haddns") ? verdict(median, medianToBind) : ""));
    }
    r.line("Summary (median of the " + ROUNDS + " rounds):");
    r.table(
        List.of(
            "server",
            "median QPS",
            "QPS ÷ Knot, per round",
            "median ÷ Knot",
            "median ÷ BIND",
            "target ≥ 0.9 × Knot and ≥ BIND"),
        summary);
    r.publish();
    for (Run run : runs) {
      assertThat(run.result.completed()).as(run.target.label + " answered").isPositive();
      BenchSize.measured(run.target.label + " QPS", run.result.qps());
      BenchSize.measured(run.target.label + " p50 response time", run.latencies.p50Ms());
    }
  }

  private static Run sameRound(List<Run> runs, Run run, String server) {
    return runs.stream()
        .filter(k -> k.round == run.round && k.target.label.startsWith(server))
        .findFirst()
        .orElseThrow();
  }

  private static String verdict(double toKnot, double toBind) {
    boolean knot = toKnot >= KNOT_TARGET;
    boolean bind = toBind >= BIND_TARGET;
    if (knot && bind) {
      return "met";
    }
    return "missed ("
        + (knot ? "" : "< 0.9 × Knot")
        + (knot || bind ? "" : ", ")
        + (bind ? "" : "< BIND")
        + ")";
  }
}
