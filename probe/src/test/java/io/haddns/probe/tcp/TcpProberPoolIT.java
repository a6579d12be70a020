package io.haddns.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.testing.NetnsHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TcpProberPoolIT {
  @Test
  void spreadsProbesOverItsThreadsWithinTheSharedSocketLimit() throws Exception {
    try (NetnsHost host = NetnsHost.create();
        TcpProberPool pool = TcpProberPool.open(2, 40)) {
      host.cutLink();
      List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        probes.add(pool.probe(host.address4(), 443, Duration.ofSeconds(1)));
      }
      Thread.sleep(300);

      // 20 sockets each: 40 in flight, the other 20 waiting, half on each thread.
      assertThat(pool.threads()).isEqualTo(2);
      assertThat(pool.maxSockets()).isEqualTo(40);
      assertThat(pool.sockets()).isEqualTo(40);
      assertThat(pool.waiting()).isEqualTo(20);
      List<ProbeResult> results = probes.stream().map(CompletableFuture::join).toList();
      assertThat(results)
          .filteredOn(r -> r instanceof Failure f && f.reason() == FailureReason.TIMEOUT)
          .hasSize(40);
    }
  }

  @Test
  void refusesToOpenWithoutAThread() {
    assertThatThrownBy(() -> TcpProberPool.open(0, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("thread");
  }
}
