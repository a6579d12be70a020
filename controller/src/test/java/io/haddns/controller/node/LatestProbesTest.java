package io.haddns.controller.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.testing.SettableClock;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.engine.ProbeObserver;
import io.haddns.probe.engine.ProbeOutcome;
import io.haddns.probe.engine.ProbeSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatestProbesTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final List<ProbeOutcome> passedOn = new ArrayList<>();
  private final LatestProbes probes =
      new LatestProbes(
          new ProbeObserver() {
            @Override
            public void onProbe(ProbeOutcome outcome) {
              passedOn.add(outcome);
            }
          },
          clock);

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static ProbeOutcome tcp(String address, ProbeResult result) throws Exception {
    return new ProbeOutcome(
        "a", new ProbeSpec.Tcp(443), ip(address), result, Duration.ofNanos(1_234_000));
  }

  @Test
  void keepsTheLatestOutcomeOfEachProbeWithItsResultLatencyAndTimeAndPassesItOn() throws Exception {
    probes.onProbe(tcp("192.0.2.1", new ProbeResult.Success(Duration.ofMillis(1))));
    clock.advance(Duration.ofSeconds(1));
    probes.onProbe(
        tcp(
            "192.0.2.1",
            new ProbeResult.Failure(ProbeResult.FailureReason.TIMEOUT, "no answer in 1s")));
    probes.onProbe(tcp("192.0.2.2", new ProbeResult.Fault(ProbeResult.FaultKind.DESCRIPTORS, "")));

    assertThat(probes.of("a", List.of(ip("192.0.2.1"), ip("192.0.2.2"))))
        .containsExactly(
            new ClusterStatus.Probe(
                "tcp/443",
                "192.0.2.1",
                "failed",
                "timeout: no answer in 1s",
                1.23,
                "2026-12-06T12:00:01Z"),
            new ClusterStatus.Probe(
                "tcp/443",
                "192.0.2.2",
                "inconclusive",
                "prober fault " + ProbeResult.FaultKind.DESCRIPTORS.label(),
                1.23,
                "2026-12-06T12:00:01Z"));
    assertThat(passedOn).hasSize(3);
    assertThat(probes.of("b", List.of(ip("192.0.2.1")))).isEmpty();
  }

  @Test
  void showsOnlyTheLinesCurrentAddressesAndForgetsTheOldestBeyondTheBound() throws Exception {
    for (int i = 1; i <= LatestProbes.PER_LINE + 4; i++) {
      probes.onProbe(tcp("192.0.2." + i, new ProbeResult.Success(Duration.ofMillis(1))));
    }

    assertThat(probes.of("a", List.of(ip("192.0.2.20")))).hasSize(1);
    assertThat(probes.of("a", List.of(ip("192.0.2.1"), ip("192.0.2.4")))).isEmpty();
    assertThat(probes.of("a", List.of(ip("192.0.2.5"), ip("192.0.2.9")))).hasSize(2);
  }

  @Test
  void aProbeSeenAgainIsKeptOverOnesNotSeenSince() throws Exception {
    for (int i = 1; i <= LatestProbes.PER_LINE; i++) {
      probes.onProbe(tcp("192.0.2." + i, new ProbeResult.Success(Duration.ofMillis(1))));
    }
    probes.onProbe(tcp("192.0.2.1", new ProbeResult.Success(Duration.ofMillis(1))));
    probes.onProbe(tcp("192.0.2.99", new ProbeResult.Success(Duration.ofMillis(1))));

    assertThat(probes.of("a", List.of(ip("192.0.2.1"), ip("192.0.2.99")))).hasSize(2);
    assertThat(probes.of("a", List.of(ip("192.0.2.2")))).isEmpty();
  }
}
