package io.haddns.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.probe.PortProber;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.testing.NetnsHost;
import io.haddns.probe.testing.RequiredCapability;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpHalfOpenProberIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final AtomicInteger ipv6Probes = new AtomicInteger();
  private TcpHalfOpenProber prober;

  @BeforeEach
  void open() {
    RequiredCapability.requireRoot();
    TcpConnectProber connect = TcpConnectProber.open();
    PortProber ipv6 =
        new PortProber() {
          @Override
          public CompletableFuture<ProbeResult> probe(InetAddress t, int port, Duration timeout) {
            ipv6Probes.incrementAndGet();
            return connect.probe(t, port, timeout);
          }

          @Override
          public void close() {
            connect.close();
          }
        };
    prober = TcpHalfOpenProber.open(ipv6);
  }

  @AfterEach
  void close() {
    if (prober != null) {
      prober.close();
    }
  }

  private static ServerSocket listen(String host) throws Exception {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
    return s;
  }

  @Test
  void succeedsOnASynAckWithoutTheListenerEverAcceptingAConnection() throws Exception {
    try (ServerSocket s = listen("127.0.0.1")) {
      ProbeResult r = prober.probe(s.getInetAddress(), s.getLocalPort(), TIMEOUT).join();

      assertThat(r)
          .isInstanceOfSatisfying(
              ProbeResult.Success.class, ok -> assertThat(ok.rtt()).isLessThan(TIMEOUT));
      // The host's reset ended the half-open connection: nothing reaches the accept queue.
      s.setSoTimeout(300);
      assertThatThrownBy(s::accept).isInstanceOf(SocketTimeoutException.class);
      String halfOpen =
          NetnsHost.run("ss", "-Htn", "state", "syn-recv", "( sport = :" + s.getLocalPort() + " )");
      assertThat(halfOpen).as("half-open connections left at the listener").isBlank();
    }
  }

  @Test
  void reportsRefusedOnAResetFromAClosedPort() throws Exception {
    int port;
    try (ServerSocket s = listen("127.0.0.1")) {
      port = s.getLocalPort();
    }
    ProbeResult r = prober.probe(InetAddress.getByName("127.0.0.1"), port, TIMEOUT).join();
    assertThat(r)
        .isInstanceOfSatisfying(
            Failure.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.REFUSED));
  }

  @Test
  void reachesAListenerInANamespaceAndIsRefusedByItsClosedPorts() throws Exception {
    try (NetnsHost host = NetnsHost.create();
        AutoCloseable listener = host.listen(8443)) {
      assertThat(prober.probe(host.address4(), 8443, TIMEOUT).join())
          .isInstanceOf(ProbeResult.Success.class);
      assertThat(prober.probe(host.address4(), 9, TIMEOUT).join())
          .isInstanceOfSatisfying(
              Failure.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.REFUSED));
    }
  }

  @Test
  void timesOutAgainstABlackHoledHostAndSucceedsOnceItIsBack() throws Exception {
    try (NetnsHost host = NetnsHost.create();
        AutoCloseable listener = host.listen(8443)) {
      host.cutLink();
      Duration timeout = Duration.ofMillis(500);
      long start = System.nanoTime();
      ProbeResult r = prober.probe(host.address4(), 8443, timeout).join();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(r)
          .isInstanceOfSatisfying(
              Failure.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.TIMEOUT));
      assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusSeconds(5));

      host.restoreLink();
      assertThat(prober.probe(host.address4(), 8443, TIMEOUT).join())
          .isInstanceOf(ProbeResult.Success.class);
    }
  }

  @Test
  void tellsManyConcurrentProbesApartByTheirSequenceNumbers() throws Exception {
    int closedPort;
    try (ServerSocket c = listen("127.0.0.1")) {
      closedPort = c.getLocalPort();
    }
    try (ServerSocket open = new ServerSocket()) {
      open.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4096);
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      List<CompletableFuture<ProbeResult>> toOpen = new ArrayList<>();
      List<CompletableFuture<ProbeResult>> toClosed = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        toOpen.add(prober.probe(loopback, open.getLocalPort(), TIMEOUT));
        toClosed.add(prober.probe(loopback, closedPort, TIMEOUT));
      }
      assertThat(toOpen)
          .allSatisfy(f -> assertThat(f.join()).isInstanceOf(ProbeResult.Success.class));
      assertThat(toClosed)
          .allSatisfy(
              f ->
                  assertThat(f.join())
                      .isInstanceOfSatisfying(
                          Failure.class,
                          x -> assertThat(x.reason()).isEqualTo(FailureReason.REFUSED)));
      assertThat(prober.inFlight()).isZero();
    }
  }

  @Test
  void probesIpv6TargetsWithTheConnectProber() throws Exception {
    try (ServerSocket v6 = listen("::1")) {
      assertThat(prober.probe(v6.getInetAddress(), v6.getLocalPort(), TIMEOUT).join())
          .isInstanceOf(ProbeResult.Success.class);
      assertThat(ipv6Probes).hasValue(1);
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
      prober = null;
    }
  }
}
