package io.haddns.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.testing.NetnsHost;
import io.haddns.probe.testing.RequiredCapability;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real echo requests, through a ping socket (the sysctl is widened for the test and restored) and
 * through a raw socket (root), to loopback and to a namespace host.
 */
class IcmpProberIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static String savedRange;

  @BeforeAll
  static void allowPingSockets() throws Exception {
    if ("root".equals(System.getProperty("user.name"))) {
      savedRange =
          NetnsHost.run("sysctl", "-n", "net.ipv4.ping_group_range").trim().replaceAll("\\s+", " ");
      NetnsHost.run("sysctl", "-w", "net.ipv4.ping_group_range=0 2147483647");
    }
  }

  @AfterAll
  static void restorePingGroupRange() throws Exception {
    if (savedRange != null) {
      NetnsHost.run("sysctl", "-w", "net.ipv4.ping_group_range=" + savedRange);
    }
  }

  private static IcmpProber open(IcmpMode mode) {
    if (mode == IcmpMode.RAW) {
      RequiredCapability.requireRoot();
    }
    try {
      return IcmpProber.open(mode);
    } catch (IcmpUnavailableException e) {
      RequiredCapability.require(false, e.getMessage());
      throw e;
    }
  }

  private static void assertSuccess(ProbeResult r) {
    assertThat(r)
        .isInstanceOfSatisfying(
            ProbeResult.Success.class, s -> assertThat(s.rtt()).isPositive().isLessThan(TIMEOUT));
  }

  private static void assertFailure(ProbeResult r, FailureReason reason) {
    assertThat(r)
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(reason));
  }

  @Test
  void prefersAPingSocketWhenTheSysctlAllowsIt() {
    RequiredCapability.requireRoot();
    try (IcmpProber prober = IcmpProber.open()) {
      assertThat(prober.mode()).isEqualTo(IcmpMode.PING_SOCKET);
    }
  }

  @ParameterizedTest
  @EnumSource(IcmpMode.class)
  void getsEchoRepliesFromIpv4AndIpv6Loopback(IcmpMode mode) throws Exception {
    try (IcmpProber prober = open(mode)) {
      assertThat(prober.mode()).isEqualTo(mode);
      assertSuccess(prober.probe(InetAddress.getByName("127.0.0.1"), TIMEOUT).join());
      assertThat(prober.supportsIpv6()).isTrue();
      assertSuccess(prober.probe(InetAddress.getByName("::1"), TIMEOUT).join());
    }
  }

  @ParameterizedTest
  @EnumSource(IcmpMode.class)
  void matchesManyConcurrentRepliesToTheirRequests(IcmpMode mode) throws Exception {
    try (IcmpProber prober = open(mode)) {
      List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        InetAddress target = InetAddress.getByName("127.0.0." + (1 + i % 3));
        probes.add(prober.probe(target, TIMEOUT));
      }
      assertThat(probes).allSatisfy(f -> assertSuccess(f.join()));
    }
  }

  @ParameterizedTest
  @EnumSource(IcmpMode.class)
  void timesOutWhenANamespaceHostStopsAnswering(IcmpMode mode) throws Exception {
    try (IcmpProber prober = open(mode);
        NetnsHost host = NetnsHost.create()) {
      assertSuccess(prober.probe(host.address4(), TIMEOUT).join());
      assertSuccess(prober.probe(host.address6(), TIMEOUT).join());

      host.cutLink();
      Duration timeout = Duration.ofMillis(400);
      long start = System.nanoTime();
      CompletableFuture<ProbeResult> v4 = prober.probe(host.address4(), timeout);
      CompletableFuture<ProbeResult> v6 = prober.probe(host.address6(), timeout);
      assertFailure(v4.join(), FailureReason.TIMEOUT);
      assertFailure(v6.join(), FailureReason.TIMEOUT);
      // Not before the timeout; the upper bound only rules out waiting on something else (a loaded
      // machine may be slow to schedule the timer): the timing itself is a benchmark's business.
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(timeout)
          .isLessThan(timeout.plusSeconds(5));
    }
  }

  @Test
  void answersPendingProbesWithAProberFaultWhenClosed() throws Exception {
    try (NetnsHost host = NetnsHost.create()) {
      host.cutLink();
      IcmpProber prober = open(IcmpMode.RAW);
      CompletableFuture<ProbeResult> pending =
          prober.probe(host.address4(), Duration.ofSeconds(30));
      prober.close();
      assertThat(pending.join())
          .isEqualTo(
              new ProbeResult.Fault(ProbeResult.FaultKind.UNAVAILABLE, "icmp prober closed"));
    }
  }
}
