package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.FreePorts;
import io.haddns.controller.testing.LauncherDefaults;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.ZkDigestSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * docs/benchmarks.md, target "memory": one controller process ({@code java -jar haddns.jar
 * controller}) with 1,000 lines probed by TCP every second and 10,000 failover records over 4 RFC
 * 2136 zones on a real BIND. Once every record is applied, the process's resident set is sampled
 * for 20 s. Each JVM flag set runs against a fresh BIND and a fresh cluster in ZooKeeper, so each
 * does the same work.
 *
 * <p>Lines: {@code l0000…l0999} at 127.1.x.y, TCP port P. Even lines listen (up), odd lines refuse
 * (down after 3 probes). Record {@code j} fails over from line {@code j mod 1000} to line {@code
 * (j+1) mod 1000}, so exactly one of its lines is up and every record gets a value.
 *
 * <p>A smoke run ({@link BenchSize}): 20 lines, 100 records, the first flag set only, 2 s of
 * sampling.
 */
class MemoryBenchmark {
  static final BenchSize SIZE = BenchSize.current();
  static final int LINES = SIZE.option("haddns.bench.memLines", 1_000, 20);
  static final int RECORDS = SIZE.option("haddns.bench.memRecords", 10_000, 100);
  static final int ZONES = 4;
  static final long TARGET_KIB = 256 * 1024;
  static final int SAMPLE_SECONDS = SIZE.pick(20, 2);

  /**
   * JVM flag sets measured: none (a bare {@code java -jar}), the launchers' defaults, and the
   * launchers' defaults before they gave the C library's free memory back (for comparison in the
   * same run).
   */
  static final List<List<String>> FLAG_SETS =
      List.of(List.of(), LauncherDefaults.JVM_FLAGS, List.of("-Xmx128m", "-XX:+UseSerialGC"));

  @TempDir Path dir;

  private record Result(
      List<String> flags,
      double appliedAfterSeconds,
      long maxRssKib,
      long fileKib,
      long hwmKib,
      Map<String, Double> gc) {}

  @Test
  void controllerRssWith1000LinesAnd10000Records() throws Exception {
    Path jar = Path.of(System.getProperty("haddns.bench.jar", "target/haddns.jar"));
    assertThat(jar).as("the shaded controller jar (package phase)").exists();
    List<List<String>> sets = new ArrayList<>(SIZE.pick(FLAG_SETS, FLAG_SETS.subList(0, 1)));
    sets.addAll(extraFlagSets());
    List<InetAddress> addresses = new ArrayList<>();
    for (int i = 0; i < LINES; i++) {
      addresses.add(InetAddress.getByName("127.1." + (i / 200) + "." + (i % 200 + 1)));
    }
    int linePort = FreePorts.tcpAndUdp(InetAddress.getByName("127.1.0.1"));
    List<InetAddress> up = new ArrayList<>();
    for (int i = 0; i < LINES; i += 2) {
      up.add(addresses.get(i));
    }
    List<Result> results = new ArrayList<>();
    List<AssertionError> failures = new ArrayList<>();
    try (TestingServer zk = ZkTestServers.server();
        ManyLineListeners listeners = new ManyLineListeners(up, linePort)) {
      for (int v = 0; v < sets.size(); v++) {
        try {
          results.add(measure(jar, sets.get(v), v, zk.getConnectString(), addresses, linePort));
        } catch (AssertionError e) {
          // The other flag sets are still measured and reported; this one fails the run after.
          failures.add(e);
          System.out.println("flags " + sets.get(v) + " not measured: " + e.getMessage());
        }
      }
    }
    report(results);
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  private Result measure(
      Path jar,
      List<String> flags,
      int variant,
      String zkConnect,
      List<InetAddress> addresses,
      int linePort)
      throws Exception {
    Path work = Files.createDirectories(dir.resolve("v" + variant));
    // The controller's log is kept after the run, for a variant that did not finish.
    Path log =
        Files.createDirectories(
                Path.of(System.getProperty("haddns.bench.dir", "target/bench")).resolve("memory"))
            .resolve("controller-v" + variant + ".log");
    Files.deleteIfExists(log);
    String[] zones = new String[ZONES];
    for (int z = 0; z < ZONES; z++) {
      zones[z] = "z" + z + ".mem.test";
    }
    try (DnsTestServer dns = BindServer.start(work.resolve("bind"), zones)) {
      Path secret = work.resolve("tsig.secret");
      Files.writeString(secret, dns.tsigSecretBase64());
      Path config = work.resolve("haddns.yaml");
      Files.writeString(
          config,
          config(
              "mem" + variant,
              zkConnect,
              // One ZooKeeper identity for every variant: the first creates /haddns with its
              // ACL, and a variant with another identity could not create its tree under it.
              ZkDigestSecret.yaml(dir),
              dns,
              secret,
              addresses,
              linePort,
              zones),
          StandardCharsets.UTF_8);
      int http = FreePorts.tcpAndUdp(InetAddress.getByName("127.0.0.1"));
      String url = "http://127.0.0.1:" + http;
      long start = System.nanoTime();
      try (ControllerProcess p =
          ControllerProcess.launch(jar, flags, config, "mem-" + variant, http, log, List.of())) {
        double appliedAfter = awaitAllApplied(p, url, start);
        checkSample(dns, addresses, zones);
        long maxRss = 0;
        long fileAtMax = 0;
        for (int s = 0; s < SAMPLE_SECONDS; s++) {
          long rss = p.procStatusKib("VmRSS");
          if (rss > maxRss) {
            maxRss = rss;
            fileAtMax = p.procStatusKib("RssFile");
          }
          Thread.sleep(1000);
        }
        assertThat(p.isAlive()).isTrue();
        BenchSize.measured("RSS with flags " + flags, maxRss);
        return new Result(
            flags, appliedAfter, maxRss, fileAtMax, p.procStatusKib("VmHWM"), p.jstatGc());
      }
    }
  }

  private static double awaitAllApplied(ControllerProcess p, String url, long start)
      throws Exception {
    long deadline = start + 300_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("controller exited; its log ends:\n" + p.logTail(40));
      }
      try {
        double applied =
            MetricsScrape.of(url).samples().stream()
                .filter(s -> s.name().equals("haddns_records_applied"))
                .mapToDouble(MetricsScrape.Sample::value)
                .sum();
        if (applied >= RECORDS) {
          return (System.nanoTime() - start) / 1e9;
        }
      } catch (IOException e) {
        // Not listening yet: the JVM is still starting.
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not all " + RECORDS + " records applied within 300 s");
  }

  /**
   * Every 97th record answers its up line's address at BIND, within a minute: the applied state
   * counts a record as soon as its creation is claimed, before the provider was written.
   */
  private static void checkSample(DnsTestServer dns, List<InetAddress> lines, String[] zones)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        checkSampleOnce(dns, lines, zones);
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static void checkSampleOnce(DnsTestServer dns, List<InetAddress> lines, String[] zones)
      throws IOException {
    for (int j = 0; j < RECORDS; j += 97) {
      int primary = j % LINES;
      InetAddress expected = lines.get(primary % 2 == 0 ? primary : (primary + 1) % LINES);
      List<InetAddress> answer =
          dns.query(recordName(j, zones), Type.A).stream()
              .filter(ARecord.class::isInstance)
              .map(r -> ((ARecord) r).getAddress())
              .toList();
      assertThat(answer).as("record %d", j).containsExactly(expected);
    }
  }

  private static String recordName(int j, String[] zones) {
    return String.format("r%05d.%s", j, zones[j % zones.length]);
  }

  private static String config(
      String cluster,
      String zk,
      String zkAuth,
      DnsTestServer dns,
      Path secret,
      List<InetAddress> addresses,
      int linePort,
      String[] zones) {
    StringBuilder y = new StringBuilder();
    y.append("cluster:\n  name: ")
        .append(cluster)
        .append("\n  zookeeper: ")
        .append(zk)
        .append("\n  zookeeperAuth: ")
        .append(zkAuth)
        .append("\n  sessionTimeout: 4s\n  resyncInterval: 300s\nlines:\n");
    for (int i = 0; i < addresses.size(); i++) {
      y.append(
          String.format(
              "  - { name: l%04d, address: { static: [%s] }, probes: [ { tcp: { port: %d } } ],"
                  + " interval: 1s, timeout: 500ms, fall: 3, rise: 2 }\n",
              i, addresses.get(i).getHostAddress(), linePort));
    }
    y.append("zones:\n");
    for (String z : zones) {
      y.append("  - name: ")
          .append(z)
          .append("\n    provider: { type: rfc2136, server: 127.0.0.1:")
          .append(dns.port())
          .append(", batchSize: 1000, tsig: { name: ")
          .append(dns.tsigName())
          .append(", algorithm: hmac-sha256, secretFile: ")
          .append(secret)
          .append(" } }\n");
    }
    y.append("records:\n");
    for (int j = 0; j < RECORDS; j++) {
      y.append(
          String.format(
              "  - { name: %s, type: A, ttl: 30, policy: failover, lines: [l%04d, l%04d] }\n",
              recordName(j, zones), j % LINES, (j + 1) % LINES));
    }
    return y.toString();
  }

  /** {@code -Dhaddns.bench.jvmFlags}: more flag sets to measure, separated by {@code |}. */
  private static List<List<String>> extraFlagSets() {
    List<List<String>> sets = new ArrayList<>();
    for (String set : System.getProperty("haddns.bench.jvmFlags", "").split("\\|")) {
      if (!set.isBlank()) {
        sets.add(Arrays.asList(set.trim().split("\\s+")));
      }
    }
    return sets;
  }

  private static void report(List<Result> results) throws IOException {
    BenchReport r =
        new BenchReport(
            "MemoryBenchmark",
            String.format(
                Locale.ROOT,
                "Controller memory: %,d lines, %,d records, one process",
                LINES,
                RECORDS));
    r.line("Machine: " + BenchReport.machine() + " (the controller runs on the same `java`).")
        .line(
            "One `java [flags] -jar haddns.jar controller` process per row, ZooKeeper in the"
                + String.format(
                    Locale.ROOT,
                    " benchmark JVM (curator-test), BIND with %d zones of %,d records, batchSize"
                        + " 1000. %,d lines probed by TCP every 1 s (%,d up, %,d refusing).",
                    ZONES,
                    RECORDS / ZONES,
                    LINES,
                    LINES / 2,
                    LINES / 2)
                + " RSS = max of VmRSS sampled every 1 s for "
                + SAMPLE_SECONDS
                + " s after all records were applied, and how much of it was file-backed"
                + " (RssFile: the JDK's libraries, class archive and modules, the jar, shared"
                + " with any other process mapping them); peak = VmHWM at the end (includes"
                + " start-up and the initial apply). Heap from `jstat -gc` at the end.");
    List<List<String>> rows = new ArrayList<>();
    for (Result x : results) {
      Map<String, Double> g = x.gc;
      double heapUsed = g.get("S0U") + g.get("S1U") + g.get("EU") + g.get("OU");
      double heapCommitted = g.get("S0C") + g.get("S1C") + g.get("EC") + g.get("OC");
      rows.add(
          List.of(
              x.flags.isEmpty() ? "(none: as shipped)" : "`" + String.join(" ", x.flags) + "`",
              String.format(Locale.ROOT, "%.1f s", x.appliedAfterSeconds),
              mib(x.maxRssKib),
              mib(x.fileKib),
              mib(x.hwmKib),
              mib(heapUsed) + " / " + mib(heapCommitted),
              mib(g.get("MU")),
              x.maxRssKib <= TARGET_KIB ? "met" : "missed"));
    }
    r.table(
        List.of(
            "JVM flags",
            "all applied after",
            "RSS max (steady)",
            "of it file-backed",
            "RSS peak (VmHWM)",
            "heap used / committed",
            "metaspace used",
            "target RSS ≤ 256 MiB"),
        rows);
    r.publish();
  }

  private static String mib(double kib) {
    return String.format(Locale.ROOT, "%.0f MiB", kib / 1024);
  }
}
