package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.FreePorts;
import io.haddns.controller.testing.ZkDigestSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * Signed agent reports per second against one real controller process ({@code java -jar haddns.jar
 * controller}) with its gateway on 127.0.0.1, compared with a bare Netty HTTP server in the same
 * run. Three measured cells, each {@code warmUp} then a fixed window, with {@code connections}
 * keep-alive connections (one agent and one line per connection, so reports never contend for a
 * line's compare-and-set): the bare server; no-change reports (a new, higher sequence and the
 * address already committed); changed reports (every report flips the line between two addresses).
 * Reports are signed before the window (signing is the agent's cost, not the gateway's); the rate
 * limits and connection caps are raised through {@code node.gateway.rateLimits} and {@code
 * connections} so that they are not what is measured. ZooKeeper is one in-JVM server ({@link
 * ZkTestServers}); its {@code srvr} counters give the ZooKeeper requests and write transactions per
 * report. After the windows, a thread-dump sampler shows where the gateway's worker threads spend
 * their time. A smoke run ({@link BenchSize}): 4 connections, 2 s warm-ups and windows, 2 s of
 * thread sampling.
 */
class GatewayReportBenchmark {
  private static final BenchSize SIZE = BenchSize.current();
  private static final int CONNECTIONS = SIZE.option("haddns.bench.gwConnections", 64, 4);
  private static final Duration WARM_UP = SIZE.seconds("haddns.bench.gwWarmUpSeconds", 30, 2);
  private static final Duration WINDOW = SIZE.seconds("haddns.bench.gwSeconds", 10, 2);
  private static final String PATH = "/api/v1/report";

  /** JVM flags for the controller process, space-separated (e.g. a JFR recording to profile it). */
  private static final List<String> CONTROLLER_FLAGS =
      java.util.Arrays.stream(System.getProperty("haddns.bench.gwControllerFlags", "").split(" "))
          .filter(f -> !f.isBlank())
          .toList();

  /** Where each haddns cell's window is recorded with JFR ({@link WindowRecording}), if set. */
  private static final Optional<Path> JFR_DIR =
      Optional.ofNullable(System.getProperty("haddns.bench.gwJfrDir")).map(Path::of);

  private static final int LOTS = 100_000_000;

  /** How far above the warm-up's live sequences the window's signed-ahead reports start. */
  private static final long SIGNED_AHEAD_GAP = 1_000_000_000L;

  /** A measured cell and what it cost. */
  private record Cell(
      String name,
      ClosedLoopLoad.Result load,
      long signedLive,
      double controllerCpuSeconds,
      double benchJvmCpuSeconds,
      ZkCounters zkBefore,
      ZkCounters zkAfter,
      long reportsInPhase,
      List<String> controllerThreads,
      List<String> benchJvmThreads) {}

  @Test
  void signedReportsPerSecondAgainstOneNode() throws Exception {
    Path jar = Path.of(System.getProperty("haddns.bench.jar", "target/haddns.jar"));
    assertThat(jar).as("the shaded controller jar (package phase)").exists();
    // Kept after the run (public keys, configuration, the controller's log) for inspection.
    Path work =
        Files.createDirectories(
            Path.of(System.getProperty("haddns.bench.dir", "target/bench"))
                .resolve("gateway-report"));
    Files.deleteIfExists(work.resolve("controller.log"));
    List<BenchAgent> agents = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      BenchAgent a = new BenchAgent(String.format("bench-a%03d", i), String.format("gw%03d", i));
      a.writePublicKey(work);
      agents.add(a);
    }
    assertThat(CONNECTIONS)
        .as("connections (two line addresses each in one /24)")
        .isBetween(1, 120);
    List<Integer> octets = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      octets.add(1 + c);
      octets.add(129 + c);
    }
    List<Cell> cells = new ArrayList<>();
    String profile;
    double ceiling;
    try (NetnsAddresses lineHosts = NetnsAddresses.create(octets, work);
        TestingServer zk = ZkTestServers.server();
        BareHttpServer bare = new BareHttpServer()) {
      InetAddress lo = InetAddress.getByName("127.0.0.1");
      int gatewayPort = FreePorts.tcpAndUdp(lo);
      int http = FreePorts.tcpAndUdp(lo);
      int dnsPort = FreePorts.tcpAndUdp(lo);
      int closedPort = FreePorts.tcpAndUdp(lo);
      Path config = work.resolve("haddns.yaml");
      Files.writeString(
          config,
          config(zk.getConnectString(), ZkDigestSecret.yaml(work), agents, gatewayPort, closedPort),
          StandardCharsets.UTF_8);
      try (ControllerProcess p =
          ControllerProcess.launch(
              jar,
              CONTROLLER_FLAGS,
              config,
              "node-1",
              http,
              work.resolve("controller.log"),
              List.of("--dns-host", "127.0.0.1", "--dns-port", String.valueOf(dnsPort)))) {
        InetSocketAddress gateway = new InetSocketAddress(lo, gatewayPort);
        awaitListening(p, gateway, work.resolve("controller.log"));
        // Every line gets its first address committed (a changed report) before any cell.
        List<String> first =
            IntStream.range(0, CONNECTIONS)
                .parallel()
                .mapToObj(c -> firstReport(gateway, agents.get(c), c))
                .toList();
        assertThat(first).as("first reports").allMatch(s -> s.startsWith("HTTP/1.1 200"));

        byte[] sample = agents.get(0).next(addressA(0), System.currentTimeMillis());
        cells.add(measure("bare Netty HTTP", bare.address(), null, p, zk, c -> sample, 0));
        ceiling =
            VerifyCeiling.perSecond(
                agents.stream().map(BenchAgent::lastSignatureCheck).toList(), WARM_UP, WINDOW);
        BenchSize.measured("verification ceiling per second", ceiling);
        cells.add(measure("haddns, no-change reports", gateway, agents, p, zk, null, ceiling));
        byte[] replay = lastSent.get();
        cells.add(measure("haddns, changed reports", gateway, agents, p, zk, null, ceiling));
        assertThat(postOnce(gateway, replay))
            .as("a replayed no-change report is refused: its sequence was committed")
            .startsWith("HTTP/1.1 409");
        profile = new ThreadSampler(p.pid()).sample(agents, gateway, PATH, CONNECTIONS);
        assertThat(p.isAlive()).isTrue();
      }
    }
    report(cells, profile, ceiling);
  }

  private final java.util.concurrent.atomic.AtomicReference<byte[]> lastSent =
      new java.util.concurrent.atomic.AtomicReference<>();

  private Cell measure(
      String name,
      InetSocketAddress target,
      List<BenchAgent> agents,
      ControllerProcess controller,
      TestingServer zk,
      ClosedLoopLoad.Bodies fixed,
      double ceiling)
      throws Exception {
    ClosedLoopLoad.Bodies bodies = fixed;
    Runnable afterLoad = () -> {};
    AtomicLong signedLive = new AtomicLong();
    boolean changed = name.contains("changed");
    if (fixed == null) {
      // The window's reports are signed ahead, enough for the verification ceiling's rate (no
      // gateway answers faster), with sequences far above what the warm-up signs live meanwhile.
      long perConnection = (long) (ceiling * (WINDOW.toSeconds() + 2) * 1.1 / CONNECTIONS) + 50;
      long[] base = new long[CONNECTIONS];
      for (int c = 0; c < CONNECTIONS; c++) {
        base[c] = agents.get(c).sequence() + SIGNED_AHEAD_GAP;
      }
      List<ArrayDeque<byte[]>> signed = presign(agents, base, perConnection, changed);
      // Later reports (the next cell, the replay check) must rise above every signed-ahead one.
      afterLoad =
          () -> {
            for (int c = 0; c < CONNECTIONS; c++) {
              agents.get(c).advanceTo(base[c] + perConnection);
            }
          };
      long windowStarts = System.nanoTime() + WARM_UP.toNanos();
      bodies =
          c -> {
            BenchAgent a = agents.get(c);
            byte[] b = null;
            if (System.nanoTime() >= windowStarts) {
              b = signed.get(c).poll();
              if (b == null) {
                signedLive.incrementAndGet();
                a.advanceTo(base[c] + perConnection);
              }
            }
            if (b == null) {
              b = a.next(address(c, changed, a.sequence() + 1), now());
            }
            if (c == 0) {
              lastSent.set(b);
            }
            return b;
          };
    }
    ZkCounters zkBefore = ZkCounters.read(zk);
    CpuClock cpu = new CpuClock(controller.pid(), WARM_UP, WINDOW);
    cpu.start();
    Optional<WindowRecording> jfr =
        JFR_DIR
            .filter(d -> fixed == null)
            .map(d -> new WindowRecording(controller.pid(), WARM_UP, WINDOW, recording(d, name)));
    jfr.ifPresent(WindowRecording::start);
    ClosedLoopLoad.Result r =
        ClosedLoopLoad.run(target, PATH, CONNECTIONS, WARM_UP, WINDOW, bodies);
    afterLoad.run();
    cpu.join();
    if (jfr.isPresent()) {
      jfr.get().join().ifPresent(f -> System.out.println(name + ": no JFR recording, " + f));
    }
    ZkCounters zkAfter = ZkCounters.read(zk);
    assertThat(r.failed()).as("%s: %s", name, r.firstFailure()).isZero();
    assertThat(r.ok()).as(name).isPositive();
    return new Cell(
        name,
        r,
        signedLive.get(),
        cpu.controllerSeconds(),
        cpu.selfSeconds(),
        zkBefore,
        zkAfter,
        r.total(),
        cpu.threadLines(12),
        cpu.selfThreadLines(12));
  }

  private static List<ArrayDeque<byte[]>> presign(
      List<BenchAgent> agents, long[] base, long perConnection, boolean changed) {
    return IntStream.range(0, agents.size())
        .parallel()
        .mapToObj(
            c -> {
              ArrayDeque<byte[]> q = new ArrayDeque<>();
              BenchAgent a = agents.get(c);
              for (long i = 1; i <= perConnection; i++) {
                long sequence = base[c] + i;
                q.add(a.signed(sequence, address(c, changed, sequence), now()));
              }
              return q;
            })
        .toList();
  }

  /** No-change: always address A. Changed: A for odd sequences, B for even ones. */
  private static String address(int c, boolean changed, long sequence) {
    return changed && sequence % 2 == 0 ? addressB(c) : addressA(c);
  }

  static String addressA(int c) {
    return NetnsAddresses.address(1 + c);
  }

  private static String addressB(int c) {
    return NetnsAddresses.address(129 + c);
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static String firstReport(InetSocketAddress gateway, BenchAgent agent, int c) {
    try {
      return postOnce(gateway, agent.next(addressA(c), now()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String config(
      String zk, String zkAuth, List<BenchAgent> agents, int gatewayPort, int closedPort) {
    StringBuilder y = new StringBuilder();
    y.append("cluster:\n  name: gwbench\n  zookeeper: ")
        .append(zk)
        .append("\n  zookeeperAuth: ")
        .append(zkAuth)
        .append("\n  sessionTimeout: 4s\nlines:\n");
    for (BenchAgent a : agents) {
      y.append(
          String.format(
              "  - { name: %s, address: { agent: %s }, probes: [ { tcp: { port: %d } } ],"
                  + " interval: 1s, timeout: 500ms }\n",
              a.line, a.id, closedPort));
    }
    y.append("zones:\n  - name: gw.bench.test\n    provider: { type: embedded }\n")
        .append("records:\n  - { name: app.gw.bench.test, type: A, policy: failover, lines: [")
        .append(agents.get(0).line)
        .append("] }\nagents:\n");
    for (BenchAgent a : agents) {
      y.append("  - { id: ")
          .append(a.id)
          .append(", publicKeyFile: ")
          .append(a.id)
          .append(".pub, lines: [")
          .append(a.line)
          .append("], allowPrivate: true }\n");
    }
    y.append("node:\n  gateway:\n    host: 127.0.0.1\n    port: ")
        .append(gatewayPort)
        .append("\n    rateLimits: { perSourcePerMinute: ")
        .append(LOTS)
        .append(", perCredentialPerMinute: ")
        .append(LOTS)
        // All connections come from 127.0.0.1. The total cap stays at its default (4096, or what
        // the descriptor limit leaves): a node refuses to start with caps its limit cannot hold.
        .append(" }\n    connections: { perSource: 1000 }\n");
    return y.toString();
  }

  private static void awaitListening(ControllerProcess p, InetSocketAddress a, Path log)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("controller exited:\n" + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(a, 500);
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("gateway not listening within 60 s:\n" + Files.readString(log));
  }

  /** One POST on a fresh connection; returns the status line and body. */
  private static String postOnce(InetSocketAddress a, byte[] body) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(a, 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("POST "
                      + PATH
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      + "Connection: close\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(body);
      s.getOutputStream().flush();
      String res = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int statusEnd = res.indexOf("\r\n");
      int headerEnd = res.indexOf("\r\n\r\n");
      // Anything but a whole response is returned as it came, so a failed check shows it.
      return statusEnd < 0 || headerEnd < 0
          ? res
          : res.substring(0, statusEnd) + " " + res.substring(headerEnd);
    }
  }

  /** The gateway's targets, restated against this machine's own verification ceiling. */
  static final double CEILING_SHARE_TARGET = 0.5;

  static final double P99_TARGET_MS = 20;

  private static void report(List<Cell> cells, String profile, double ceiling) throws IOException {
    BenchReport r = new BenchReport("gateway-report", "Agent reports against one node");
    r.line("Machine: " + BenchReport.machine() + "; load average at the end: " + loadAverage());
    r.line(
        "Connections: "
            + CONNECTIONS
            + " keep-alive, one request outstanding each, one agent and one line each; warm-up "
            + WARM_UP.toSeconds()
            + " s, window "
            + WINDOW.toSeconds()
            + " s. The load generator, the in-JVM ZooKeeper and the bare server share this JVM;"
            + " the controller is its own process; all on the same cores.");
    long bare = 0;
    List<List<String>> rows = new ArrayList<>();
    for (Cell c : cells) {
      ClosedLoopLoad.Result l = c.load();
      if (bare == 0) {
        bare = Math.round(l.perSecond());
      }
      long zkReq = c.zkAfter().received() - c.zkBefore().received();
      long zkTx = c.zkAfter().zxid() - c.zkBefore().zxid();
      double perReport = c.reportsInPhase() == 0 ? 0 : 1.0 / c.reportsInPhase();
      rows.add(
          List.of(
              c.name(),
              String.format(Locale.ROOT, "%,.0f", l.perSecond()),
              String.format(Locale.ROOT, "%.3f", l.perSecond() / bare),
              ClosedLoopLoad.Result.ms(l.percentileNanos(50)),
              ClosedLoopLoad.Result.ms(l.percentileNanos(95)),
              ClosedLoopLoad.Result.ms(l.percentileNanos(99)),
              ClosedLoopLoad.Result.ms(l.maxNanos()),
              String.valueOf(l.ok()),
              String.valueOf(l.failed()),
              String.format(
                  Locale.ROOT, "%.0f", c.controllerCpuSeconds() * 1e6 / Math.max(1, l.ok())),
              String.format(
                  Locale.ROOT, "%.0f", c.benchJvmCpuSeconds() * 1e6 / Math.max(1, l.ok())),
              c.name().startsWith("bare")
                  ? "—"
                  : String.format(Locale.ROOT, "%.2f / %.2f", zkReq * perReport, zkTx * perReport),
              String.valueOf(c.signedLive())));
    }
    r.table(
        List.of(
            "cell",
            "per second",
            "÷ bare",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "ok in window",
            "failed",
            "controller CPU µs per request",
            "bench JVM CPU µs per request",
            "ZooKeeper requests / write txns per report",
            "signed in the window"),
        rows);
    double noChange = cells.get(1).load().perSecond();
    r.line(
        String.format(
            Locale.ROOT,
            "Ed25519 verification alone, %d threads in the bench JVM (the gateway's own check,"
                + " nothing else running but the idle controller): %,.0f per second. No gateway"
                + " that verifies each report once can answer more here; the no-change cell is"
                + " %.2f of it.",
            Runtime.getRuntime().availableProcessors(),
            ceiling,
            noChange / ceiling));
    double p99Ms = cells.get(1).load().percentileNanos(99) / 1e6;
    r.line(
        String.format(
            Locale.ROOT,
            "Verdict (docs/benchmarks.md: no-change reports ≥ %.2f of the verification ceiling"
                + " measured in the same run, p99 < %.0f ms): %.2f of it, p99 %.1f ms: %s.",
            CEILING_SHARE_TARGET,
            P99_TARGET_MS,
            noChange / ceiling,
            p99Ms,
            noChange / ceiling >= CEILING_SHARE_TARGET && p99Ms < P99_TARGET_MS
                ? "met"
                : "missed"));
    r.line("");
    r.line("Where the gateway's worker threads were (thread-dump samples during load):");
    r.line("");
    r.line("```");
    r.line(profile);
    r.line("```");
    for (Cell c : cells.subList(1, cells.size())) {
      r.line("");
      r.line("Controller CPU in the window of \"" + c.name() + "\" by thread (/proc/<pid>/task):");
      r.line("");
      c.controllerThreads().forEach(r::line);
      r.line("");
      r.line(
          "Bench JVM CPU (load generator, ZooKeeper server) in the window of \""
              + c.name()
              + "\" by thread:");
      r.line("");
      c.benchJvmThreads().forEach(r::line);
    }
    if (JFR_DIR.isPresent()) {
      for (Cell c : cells.subList(1, cells.size())) {
        Path file = recording(JFR_DIR.get(), c.name());
        r.line("");
        r.line(
            "Controller's JFR execution samples in the window of \""
                + c.name()
                + "\" ("
                + file
                + "):");
        r.line("");
        if (Files.exists(file)) {
          JfrSummary.lines(file, 14).forEach(r::line);
        } else {
          r.line("- no recording");
        }
      }
    }
    r.publish();
  }

  private static Path recording(Path dir, String cell) {
    return dir.resolve(cell.replaceAll("[^a-z]+", "-") + ".jfr");
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
