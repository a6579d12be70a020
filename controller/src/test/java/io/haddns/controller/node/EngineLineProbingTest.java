package io.haddns.controller.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.probe.Health;
import io.haddns.probe.PortProber;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.engine.LineTarget;
import io.haddns.probe.engine.ProbeObserver;
import io.haddns.probe.engine.ProbeSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineLineProbingTest {
  private final AtomicInteger probes = new AtomicInteger();
  private final PortProber tcp =
      new PortProber() {
        @Override
        public CompletableFuture<ProbeResult> probe(
            InetAddress target, int port, Duration timeout) {
          probes.incrementAndGet();
          return CompletableFuture.completedFuture(new ProbeResult.Success(Duration.ofMillis(1)));
        }

        @Override
        public void close() {}
      };
  private final EngineLineProbing probing =
      new EngineLineProbing(Optional.empty(), tcp, ProbeObserver.NOOP, InstantSource.system());

  @AfterEach
  void close() {
    probing.close();
  }

  private static LineTarget line() throws Exception {
    return new LineTarget(
        "a",
        List.of(InetAddress.getByName("192.0.2.1")),
        List.of(new ProbeSpec.Tcp(443)),
        Duration.ofMillis(50),
        Duration.ofMillis(50),
        Duration.ofMillis(40),
        2,
        2);
  }

  @Test
  void aRehearsalProbesNothingAndLeavesNoEngineRunning() throws Exception {
    probing.prepare();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().equals("haddns-probe-engine")));
    assertThat(probes).hasValue(0);
    assertThat(probing.snapshot()).isEmpty();
  }

  @Test
  void theTermAfterARehearsalProbesAsAlwaysAndARehearsalWhileStartedChangesNothing()
      throws Exception {
    probing.prepare();
    probing.start(List.of(line()), Map.of(), t -> {});
    await().atMost(Duration.ofSeconds(5)).until(() -> probing.snapshot().get("a") == Health.UP);

    probing.prepare();
    int before = probes.get();

    await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() > before + 2);
    assertThat(probing.snapshot()).containsEntry("a", Health.UP);
  }
}
