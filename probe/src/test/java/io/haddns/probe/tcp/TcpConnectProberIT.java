package io.haddns.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.testing.NetnsHost;
import io.haddns.probe.testing.RequiredCapability;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpConnectProberIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final TcpConnectProber prober = TcpConnectProber.open();

  @AfterEach
  void close() {
    prober.close();
  }

  private static ServerSocket listen(String host) throws Exception {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
    return s;
  }

  @Test
  void succeedsWhenTheHandshakeCompletesOnIpv4AndIpv6Loopback() throws Exception {
    try (ServerSocket v4 = listen("127.0.0.1");
        ServerSocket v6 = listen("::1")) {
      ProbeResult r4 = prober.probe(v4.getInetAddress(), v4.getLocalPort(), TIMEOUT).join();
      ProbeResult r6 = prober.probe(v6.getInetAddress(), v6.getLocalPort(), TIMEOUT).join();
      assertThat(r4)
          .isInstanceOfSatisfying(
              ProbeResult.Success.class, s -> assertThat(s.rtt()).isLessThan(TIMEOUT));
      assertThat(r6).isInstanceOf(ProbeResult.Success.class);
    }
  }

  @Test
  void judgesAHandshakeDoneBeforeItsDeadlineASuccessEvenWhenTheLoopLooksLate() throws Exception {
    // 3,000 connects begun in one turn of the selector loop take longer than the 5 ms timeout, so
    // the first ones' deadlines pass before the loop gets to select their finished handshakes.
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
      List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        probes.add(prober.probe(s.getInetAddress(), s.getLocalPort(), Duration.ofMillis(5)));
      }
      long timeouts =
          probes.stream()
              .map(CompletableFuture::join)
              .filter(r -> r instanceof Failure f && f.reason() == FailureReason.TIMEOUT)
              .count();
      assertThat(timeouts).as("timeouts of 3000 loopback handshakes").isLessThan(30);
    }
  }

  @Test
  void reportsRefusedForAClosedPort() throws Exception {
    int port;
    try (ServerSocket s = listen("127.0.0.1")) {
      port = s.getLocalPort();
    }
    ProbeResult r = prober.probe(InetAddress.getLoopbackAddress(), port, TIMEOUT).join();
    assertThat(r)
        .isInstanceOfSatisfying(
            Failure.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.REFUSED));
  }

  /**
   * Probes that end within microseconds (a closed port) at 2,000 a second: the loop must sleep
   * between them, not spin on their deadlines (a finished probe used to stay queued until its
   * deadline, so one was always less than a millisecond away and the loop polled without waiting).
   */
  @Test
  void sleepsBetweenProbesThatEndedLongBeforeTheirDeadlines() throws Exception {
    int closed;
    try (ServerSocket s = listen("127.0.0.1")) {
      closed = s.getLocalPort();
    }
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    List<Thread> loops =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("haddns-tcp-probe") && t.isAlive())
            .toList();
    assertThat(loops).as("this test's prober thread").hasSize(1);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long id = loops.getFirst().threadId();
    List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
    long start = System.nanoTime();
    long cpuFrom = -1;
    long wallFrom = 0;
    while (System.nanoTime() - start < 1_500_000_000L) {
      if (cpuFrom < 0 && System.nanoTime() - start > 500_000_000L) {
        cpuFrom = mx.getThreadCpuTime(id);
        wallFrom = System.nanoTime();
      }
      probes.add(prober.probe(loopback, closed, Duration.ofMillis(300)));
      probes.add(prober.probe(loopback, closed, Duration.ofMillis(300)));
      Thread.sleep(1);
    }
    long cpu = mx.getThreadCpuTime(id) - cpuFrom;
    long wall = System.nanoTime() - wallFrom;

    assertThat(probes)
        .allSatisfy(
            f ->
                assertThat(f.join())
                    .isInstanceOf(Failure.class)
                    .extracting("reason")
                    .isEqualTo(FailureReason.REFUSED));
    assertThat((double) cpu / wall)
        .as("share of a core the prober's loop used while probes ended at once")
        .isLessThan(0.4);
  }

  @Test
  void leavesNoTimeWaitSocketsBehind() throws Exception {
    RequiredCapability.requireBinary("ss", "iproute2");
    try (ServerSocket s = listen("127.0.0.1")) {
      List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        probes.add(prober.probe(s.getInetAddress(), s.getLocalPort(), TIMEOUT));
      }
      assertThat(probes).allSatisfy(f -> assertThat(f.join().isSuccess()).isTrue());
      String timeWait =
          NetnsHost.run(
              "ss", "-Htan", "state", "time-wait", "( dport = :" + s.getLocalPort() + " )");
      assertThat(timeWait).isBlank();
    }
  }

  @Test
  void timesOutAgainstABlackHoledHost() throws Exception {
    try (NetnsHost host = NetnsHost.create()) {
      host.cutLink();
      Duration timeout = Duration.ofMillis(500);
      long start = System.nanoTime();
      ProbeResult r = prober.probe(host.address4(), 443, timeout).join();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(r)
          .isInstanceOfSatisfying(
              Failure.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.TIMEOUT));
      // Not before the timeout, and long before the kernel's own connect timeout (minutes): the
      // upper bound leaves room for a loaded machine, the timing itself is a benchmark's business.
      assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusSeconds(5));
    }
  }

  @Test
  void reachesAListenerInANamespaceAndIsRefusedByItsClosedPorts() throws Exception {
    try (NetnsHost host = NetnsHost.create();
        AutoCloseable listener = host.listen(8443)) {
      assertThat(prober.probe(host.address4(), 8443, TIMEOUT).join())
          .isInstanceOf(ProbeResult.Success.class);
      ProbeResult r = prober.probe(host.address4(), 9, TIMEOUT).join();
      assertThat(r)
          .isInstanceOfSatisfying(
              Failure.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.REFUSED));
    }
  }

  @Test
  void answersPendingProbesWithAProberFaultWhenClosed() throws Exception {
    try (NetnsHost host = NetnsHost.create()) {
      host.cutLink();
      CompletableFuture<ProbeResult> pending =
          prober.probe(host.address4(), 443, Duration.ofSeconds(30));
      prober.close();
      assertThat(pending.join())
          .isEqualTo(new ProbeResult.Fault(ProbeResult.FaultKind.UNAVAILABLE, "tcp prober closed"));
    }
  }

  @Test
  void holdsNoMoreSocketsThanItsLimitAndFaultsTheProbesBeyondIt() throws Exception {
    try (NetnsHost host = NetnsHost.create();
        TcpConnectProber limited = TcpConnectProber.open(20)) {
      host.cutLink();
      long before = openDescriptors();
      List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        probes.add(limited.probe(host.address4(), 443, Duration.ofSeconds(1)));
      }
      Thread.sleep(300);
      assertThat(openDescriptors() - before)
          .as("descriptors while in flight")
          .isLessThanOrEqualTo(20);
      assertThat(limited.sockets()).as("sockets held").isEqualTo(20);
      assertThat(limited.waiting()).as("probes waiting for a socket").isEqualTo(30);

      List<ProbeResult> results = probes.stream().map(CompletableFuture::join).toList();
      assertThat(results)
          .filteredOn(r -> r instanceof Failure f && f.reason() == FailureReason.TIMEOUT)
          .hasSize(20);
      assertThat(results)
          .filteredOn(
              r ->
                  r instanceof ProbeResult.Fault f && f.kind() == ProbeResult.FaultKind.DESCRIPTORS)
          .hasSize(30);

      // The sockets of finished probes are released: the limit admits new ones again.
      assertThat(limited.probe(host.address4(), 443, Duration.ofMillis(200)).join())
          .isInstanceOfSatisfying(
              Failure.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.TIMEOUT));
    }
  }

  @Test
  void spreadsABurstLargerThanItsLimitOverTheSocketsAsTheyFreeUp() throws Exception {
    try (NetnsHost host = NetnsHost.create();
        TcpConnectProber limited = TcpConnectProber.open(20)) {
      // Rounds released together after a pause: far more probes at once than sockets allowed, to
      // a host that answers each at once (a closed port: a reset, no listener to keep up). Each
      // waits its turn for a socket instead of being a fault.
      List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        probes.add(limited.probe(host.address4(), 9, TIMEOUT));
      }

      List<ProbeResult> results = probes.stream().map(CompletableFuture::join).toList();
      assertThat(results)
          .allSatisfy(
              r ->
                  assertThat(r)
                      .isInstanceOfSatisfying(
                          Failure.class,
                          f -> assertThat(f.reason()).isEqualTo(FailureReason.REFUSED)));
    }
  }

  private static long openDescriptors() throws Exception {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
