package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.FreePorts;
import io.haddns.controller.testing.LauncherDefaults;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.RequiredBinary;
import io.haddns.controller.testing.ZkDigestSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/benchmarks.md, "Probing at scale": one controller process (the launcher's JVM flags) leading
 * alone, probing 10,000 lines every second by ICMP and TCP, each line one address of a network
 * namespace this benchmark creates ({@link NetnsPrefix}). After a warm-up the benchmark measures,
 * over a window: the controller's CPU (cores), its RSS, how late each scheduled round started
 * ({@code haddns_probe_round_start_lateness_seconds}) and how many rounds overran ({@code
 * haddns_probe_round_overruns_total}). Anchor in the same run: {@code fping} pinging the same
 * addresses once a second each, compared by CPU per probe.
 *
 * <p>A smoke run ({@link BenchSize}): 20 lines, 3 s of warm-up and window, fping 3 rounds.
 */
class ProbeScaleBenchmark {
  static final BenchSize SIZE = BenchSize.current();
  static final int LINES = SIZE.option("haddns.bench.probeLines", 10_000, 20);
  static final Duration WARM_UP = SIZE.seconds("haddns.bench.probeWarmUpSeconds", 30, 3);
  static final Duration WINDOW = SIZE.seconds("haddns.bench.probeSeconds", 30, 3);

  /** The controller's JVM flags: the launcher's defaults, or {@code -Dhaddns.bench.probeFlags}. */
  static final List<String> FLAGS =
      System.getProperty("haddns.bench.probeFlags") == null
          ? LauncherDefaults.JVM_FLAGS
          : List.of(System.getProperty("haddns.bench.probeFlags").trim().split("\\s+"));

  /**
   * How the controller sends its TCP probes ({@code node.tcpProbes}), one measurement each in the
   * same run: {@code -Dhaddns.bench.tcpProbes=half-open,connect} (the default).
   */
  static final List<String> METHODS =
      List.of(System.getProperty("haddns.bench.tcpProbes", "half-open,connect").split(","));

  static final double TARGET_CORES = 0.5;
  static final double TARGET_P99_SECONDS = 0.020;
  private static final String LATENESS = "haddns_probe_round_start_lateness_seconds";

  @TempDir Path dir;

  private record Haddns(
      String method,
      double cores,
      double probes,
      double rounds,
      double failedProbes,
      double inconclusive,
      double lateRounds,
      TreeMap<Double, Double> lateBuckets,
      double overruns,
      long maxRssKib,
      double systemShare,
      double machineBusyCores,
      double gcSeconds,
      double gcCount,
      Map<String, Double> failures,
      Map<String, Double> faults,
      List<Long> descriptors,
      List<String> threads) {
    double cpuMicrosPerProbe() {
      return cores * WINDOW.toSeconds() / probes * 1e6;
    }

    /** The smallest bucket bound holding 99 % of the window's round starts. */
    double p99Bound() {
      for (var e : lateBuckets.entrySet()) {
        if (e.getValue() >= 0.99 * lateRounds) {
          return e.getKey();
        }
      }
      return Double.POSITIVE_INFINITY;
    }

    double shareWithin(double seconds) {
      return lateBuckets.getOrDefault(seconds, 0.0) / lateRounds;
    }
  }

  private record Fping(
      double cpuSeconds, double systemSeconds, long sent, long received, double seconds) {
    double cpuMicrosPerProbe() {
      return cpuSeconds / sent * 1e6;
    }
  }

  @Test
  void probes10000LinesByIcmpAndTcpEverySecond() throws Exception {
    Path jar = Path.of(System.getProperty("haddns.bench.jar", "target/haddns.jar"));
    assertThat(jar).as("the shaded controller jar (package phase)").exists();
    Path fping = RequiredBinary.require("fping", "fping");
    int port = 7000 + (int) (ProcessHandle.current().pid() % 1000);
    List<InetAddress> addresses = NetnsPrefix.addresses(LINES);
    List<Haddns> hs = new ArrayList<>();
    Fping f;
    try (TestingServer zk = ZkTestServers.server();
        NetnsPrefix net = NetnsPrefix.create(port, dir)) {
      for (String method : METHODS) {
        hs.add(measureHaddns(jar, zk.getConnectString(), addresses, port, method.trim()));
      }
      f = measureFping(fping, addresses);
    }
    for (Haddns h : hs) {
      BenchSize.measured("haddns probes in the window (" + h.method + ")", h.probes);
      BenchSize.measured("haddns CPU seconds in the window (" + h.method + ")", h.cores);
      BenchSize.measured("round starts in the window (" + h.method + ")", h.lateRounds);
      BenchSize.measured("haddns RSS (" + h.method + ")", h.maxRssKib);
    }
    BenchSize.measured("fping probes sent", f.sent);
    report(hs, f);
    assertThat(f.received).as("fping echoes answered").isEqualTo(f.sent);
    // Every address answers: a failed probe is a prober's error (the smoke run checks each method
    // end to end this way).
    for (Haddns h : hs) {
      assertThat(h.failedProbes).as("failed probes (%s): %s", h.method, h.failures).isZero();
      assertThat(h.probes).as("probes in the window (%s)", h.method).isPositive();
    }
  }

  private Haddns measureHaddns(
      Path jar, String zk, List<InetAddress> addresses, int port, String method) throws Exception {
    Path config = dir.resolve("haddns.yaml");
    Files.writeString(config, config(zk, ZkDigestSecret.yaml(dir), addresses, port, method));
    int http = FreePorts.tcpAndUdp(InetAddress.getByName("127.0.0.1"));
    String url = "http://127.0.0.1:" + http;
    // The controller's log is kept after the run (its warnings name the faults of inconclusive
    // rounds).
    Path log =
        Files.createDirectories(
                Path.of(System.getProperty("haddns.bench.dir", "target/bench"))
                    .resolve("probe-scale"))
            .resolve("controller-" + method + ".log");
    Files.deleteIfExists(log);
    try (ControllerProcess p =
        ControllerProcess.launch(jar, FLAGS, config, "probe-scale", http, log, List.of())) {
      awaitRounds(p, url, LINES);
      Thread.sleep(WARM_UP);
      MetricsScrape m0 = MetricsScrape.of(url);
      Map<String, Double> gc0 = p.jstatGc();
      long[] user0 = userSystemTicks(p.pid());
      long[] machine0 = machineTicks();
      CpuClock cpu = new CpuClock(p.pid(), Duration.ZERO, WINDOW);
      cpu.start();
      long maxRss = 0;
      List<Long> descriptors = new ArrayList<>();
      long end = System.nanoTime() + WINDOW.toNanos();
      while (System.nanoTime() < end) {
        maxRss = Math.max(maxRss, p.procStatusKib("VmRSS"));
        descriptors.add(openDescriptors(p.pid()));
        Thread.sleep(500);
      }
      cpu.join();
      long[] user1 = userSystemTicks(p.pid());
      long[] machine1 = machineTicks();
      Map<String, Double> gc1 = p.jstatGc();
      MetricsScrape m1 = MetricsScrape.of(url);
      Map<String, Double> failures = new TreeMap<>();
      Map<String, Double> faults = new TreeMap<>();
      for (MetricsScrape.Sample s : m1.samples()) {
        double d = s.value() - m0.value(s.name(), s.labels()).orElse(0);
        if (d > 0 && s.name().equals("haddns_probe_failures_total")) {
          failures.put(s.labels().get("kind") + " " + s.labels().get("reason"), d);
        } else if (d > 0 && s.name().equals("haddns_probe_faults_total")) {
          faults.put(s.labels().get("kind"), d);
        }
      }
      double sys = user1[1] - user0[1];
      double all = sys + user1[0] - user0[0];
      assertThat(p.isAlive()).isTrue();
      TreeMap<Double, Double> buckets = new TreeMap<>();
      for (MetricsScrape.Sample s : m1.samples()) {
        if (s.name().equals(LATENESS + "_bucket") && !s.labels().get("le").equals("+Inf")) {
          double le = Double.parseDouble(s.labels().get("le"));
          buckets.put(
              le, s.value() - m0.value(s.name(), Map.of("le", s.labels().get("le"))).orElse(0));
        }
      }
      return new Haddns(
          method,
          cpu.controllerSeconds() / WINDOW.toSeconds(),
          delta(m0, m1, "haddns_probe_duration_seconds_count")
              + delta(m0, m1, "haddns_probe_failures_total"),
          delta(m0, m1, "haddns_probe_rounds_total"),
          delta(m0, m1, "haddns_probe_failures_total"),
          delta(m0, m1, "haddns_probe_faults_total"),
          delta(m0, m1, LATENESS + "_count"),
          buckets,
          delta(m0, m1, "haddns_probe_round_overruns_total"),
          maxRss,
          all > 0 ? sys / all : 0,
          (double) (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]) * cores(),
          gc1.get("GCT") - gc0.get("GCT"),
          gc1.get("YGC") + gc1.get("FGC") - gc0.get("YGC") - gc0.get("FGC"),
          failures,
          faults,
          descriptors,
          cpu.threadLines(8));
    }
  }

  /** The descriptors {@code pid} holds now (each TCP probe in flight holds one). */
  private static long openDescriptors(long pid) throws IOException {
    try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return fds.count();
    }
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** utime and stime of {@code pid} in clock ticks. */
  private static long[] userSystemTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** Busy and total ticks of the whole machine, from the first line of {@code /proc/stat}. */
  private static long[] machineTicks() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }

  /** Sum over all label sets of {@code name}, window end minus start. */
  private static double delta(MetricsScrape before, MetricsScrape after, String name) {
    return sum(after, name) - sum(before, name);
  }

  private static double sum(MetricsScrape m, String name) {
    return m.samples().stream()
        .filter(s -> s.name().equals(name))
        .mapToDouble(MetricsScrape.Sample::value)
        .sum();
  }

  private static void awaitRounds(ControllerProcess p, String url, int rounds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("controller alive; see controller.log").isTrue();
      try {
        if (sum(MetricsScrape.of(url), "haddns_probe_rounds_total") >= rounds) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet: the JVM is still starting.
      }
      Thread.sleep(500);
    }
    throw new AssertionError("fewer than " + rounds + " probe rounds within 180 s");
  }

  private static final Pattern FPING_SUMMARY = Pattern.compile("xmt/rcv/%loss = (\\d+)/(\\d+)/");
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s");

  /**
   * fping in count mode, quiet, one echo per address per second ({@code -p 1000}), packets spread
   * evenly over the second ({@code -i}), 500 ms timeout; its CPU from the shell's {@code times}.
   */
  private Fping measureFping(Path fping, List<InetAddress> addresses) throws Exception {
    Path targets = dir.resolve("fping-targets.txt");
    StringBuilder b = new StringBuilder();
    addresses.forEach(a -> b.append(a.getHostAddress()).append('\n'));
    Files.writeString(targets, b, StandardCharsets.US_ASCII);
    long count = WINDOW.toSeconds();
    String gap = String.format(Locale.ROOT, "%.3f", 1000.0 / addresses.size());
    String script =
        String.format(
            "%s -c %d -p 1000 -i %s -t 500 -q -f %s 2>%s; times",
            fping, count, gap, targets, dir.resolve("fping.txt"));
    long start = System.nanoTime();
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(count + 60, TimeUnit.SECONDS)).as("fping finished").isTrue();
    double seconds = (System.nanoTime() - start) / 1e9;
    long sent = 0;
    long received = 0;
    Matcher s = FPING_SUMMARY.matcher(Files.readString(dir.resolve("fping.txt")));
    while (s.find()) {
      sent += Long.parseLong(s.group(1));
      received += Long.parseLong(s.group(2));
    }
    Matcher t = TIMES.matcher(out.lines().skip(1).findFirst().orElse(""));
    assertThat(t.find()).as("`times` output: %s", out).isTrue();
    double cpu =
        Long.parseLong(t.group(1)) * 60
            + Double.parseDouble(t.group(2))
            + Long.parseLong(t.group(3)) * 60
            + Double.parseDouble(t.group(4));
    double system = Long.parseLong(t.group(3)) * 60 + Double.parseDouble(t.group(4));
    return new Fping(cpu, system, sent, received, seconds);
  }

  private static String config(
      String zk, String zkAuth, List<InetAddress> addresses, int port, String method) {
    StringBuilder y = new StringBuilder();
    y.append("cluster:\n  name: probe-scale\n  zookeeper: ")
        .append(zk)
        .append("\n  zookeeperAuth: ")
        .append(zkAuth)
        .append("\nnode:\n  tcpProbes: ")
        .append(method)
        .append("\nlines:\n");
    for (int i = 0; i < addresses.size(); i++) {
      y.append(
          String.format(
              Locale.ROOT,
              "  - { name: l%05d, address: { static: [%s] }, probes: [ { icmp: {} }, { tcp: {"
                  + " port: %d } } ], interval: 1s, timeout: 500ms, fall: 3, rise: 2 }\n",
              i,
              addresses.get(i).getHostAddress(),
              port));
    }
    y.append("zones:\n  - name: scale.test\n    provider: { type: embedded }\n");
    return y.toString();
  }

  private static void report(List<Haddns> hs, Fping f) throws IOException {
    BenchReport r =
        new BenchReport(
            "ProbeScaleBenchmark",
            String.format(
                Locale.ROOT, "Probing %,d lines every 1 s by ICMP + TCP, one process", LINES));
    r.line("Machine: " + BenchReport.machine() + ".")
        .line(
            String.format(
                Locale.ROOT,
                "One `java %s -jar haddns.jar controller` leading alone; %,d lines, one address"
                    + " each in a network namespace (198.18.0.0/18), ICMP echo + TCP probe every"
                    + " 1 s, timeout 500 ms; one controller per TCP probe method (`node.tcpProbes`:"
                    + " %s), one after the other. Window %d s after %d s of warm-up. Anchor: fping"
                    + " -c %d -p 1000 -i %.3f (ICMP only) at the same addresses, after haddns"
                    + " stopped.",
                String.join(" ", FLAGS),
                LINES,
                String.join(", ", METHODS),
                WINDOW.toSeconds(),
                WARM_UP.toSeconds(),
                WINDOW.toSeconds(),
                1000.0 / LINES));
    List<List<String>> rows = new ArrayList<>();
    for (Haddns h : hs) {
      boolean cpuMet = h.cores <= TARGET_CORES;
      boolean jitterMet = h.p99Bound() <= TARGET_P99_SECONDS && h.overruns == 0;
      rows.add(
          List.of(
              "haddns (ICMP + TCP " + h.method + ")",
              String.format(Locale.ROOT, "%,.0f", h.probes / WINDOW.toSeconds()),
              String.format(Locale.ROOT, "%.3f", h.cores),
              String.format(Locale.ROOT, "%.1f", h.cpuMicrosPerProbe()),
              String.format(Locale.ROOT, "%.2f", h.cpuMicrosPerProbe() / f.cpuMicrosPerProbe()),
              String.format(Locale.ROOT, "≤ %.0f ms", h.p99Bound() * 1000),
              String.format(Locale.ROOT, "%.2f %%", 100 * h.shareWithin(0.02)),
              String.format(Locale.ROOT, "%.0f", h.overruns),
              String.format(Locale.ROOT, "%.0f", h.inconclusive),
              String.format(Locale.ROOT, "%.0f MiB", h.maxRssKib / 1024.0),
              String.format(Locale.ROOT, "%.0f %%", 100 * h.systemShare),
              (cpuMet ? "CPU met" : "CPU missed")
                  + ", "
                  + (jitterMet ? "jitter met" : "jitter missed")));
    }
    rows.add(
        List.of(
            "fping (ICMP, anchor)",
            String.format(Locale.ROOT, "%,.0f", f.sent / f.seconds),
            String.format(Locale.ROOT, "%.3f", f.cpuSeconds / f.seconds),
            String.format(Locale.ROOT, "%.1f", f.cpuMicrosPerProbe()),
            "1.00",
            "",
            "",
            "",
            "",
            "",
            String.format(Locale.ROOT, "%.0f %%", 100 * f.systemSeconds / f.cpuSeconds),
            ""));
    r.table(
        List.of(
            "prober",
            "probes/s",
            "CPU (cores)",
            "CPU µs per probe",
            "÷ fping per probe",
            "round start late p99 (bucket)",
            "starts ≤ 20 ms late",
            "overrun rounds",
            "inconclusive rounds",
            "RSS max",
            "kernel share of CPU",
            "target"),
        rows);
    for (Haddns h : hs) {
      r.line("").line("**" + h.method + "**");
      r.line(
          String.format(
              Locale.ROOT,
              "Rounds in the window: %,.0f (%,.0f scheduled starts); failed probes %,.0f %s;"
                  + " inconclusive rounds by prober fault %s; whole machine busy %.2f cores in the window; GC %.0f collections, %.2f s;"
                  + " fping %,d sent, %,d answered in %.1f s.",
              h.rounds,
              h.lateRounds,
              h.failedProbes,
              h.failures,
              h.faults,
              h.machineBusyCores,
              h.gcCount,
              h.gcSeconds,
              f.sent,
              f.received,
              f.seconds));
      StringBuilder late =
          new StringBuilder("Round starts late by at most (share of the window's):");
      h.lateBuckets.forEach(
          (le, n) ->
              late.append(
                  String.format(
                      Locale.ROOT, " %.0f ms %.2f %%;", le * 1000, 100 * n / h.lateRounds)));
      r.line("").line(late.toString());
      List<Long> fds = h.descriptors.stream().sorted().toList();
      r.line("")
          .line(
              String.format(
                  Locale.ROOT,
                  "Descriptors the controller held (every 0.5 s, %d samples): median %d, p90 %d, max"
                      + " %d (the TCP prober's limit is three quarters of the reserve).",
                  fds.size(),
                  fds.isEmpty() ? 0 : fds.get(fds.size() / 2),
                  fds.isEmpty() ? 0 : fds.get(fds.size() * 9 / 10),
                  fds.isEmpty() ? 0 : fds.getLast()));
      r.line("").line("Controller CPU in the window by thread:");
      h.threads.forEach(r::line);
    }
    r.publish();
  }
}
