package io.haddns.controller.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.runtime.NodeRuntime;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Waits on a node's applied state in ZooKeeper, which follows the DNS server's answer: it is
 * recorded once the zone's reconciles pause, and the node's warm view shows it a moment later
 * (docs/architecture.md, "recording what was applied").
 */
public final class AppliedStates {
  private AppliedStates() {}

  /** Waits up to 5 s until {@code node}'s applied state is one record, pointing at {@code at}. */
  public static void awaitOnlyRecordAt(NodeRuntime node, InetAddress at) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(node.store().applied().values())
                    .singleElement()
                    .satisfies(r -> assertThat(r.record().addresses()).containsExactly(at)));
  }
}
