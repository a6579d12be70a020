package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalLong;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** An operator's reset of an agent's replay protection, on a real ZooKeeper. */
class AgentSequenceResetIT {
  private static AddressSubmission report(long sequence, String address) throws Exception {
    return new AddressSubmission(
        "telecom",
        AddressFamily.IPV4,
        List.of(InetAddress.getByName(address)),
        Instant.parse("2026-12-06T12:00:00Z"),
        OptionalLong.of(sequence),
        "office-gw",
        "node-a");
  }

  @Test
  void aResetAgentIsAcceptedAgainBelowTheSequenceThatLockedItOut() throws Exception {
    try (TestingServer zk = ZkTestServers.server();
        ZkClient client = ZkTestServers.client(zk.getConnectString());
        ZkStateStore store =
            new ZkStateStore(
                client,
                new ZkPaths("it"),
                "node-a",
                InstantSource.system(),
                StoreSettings.defaults())) {
      store.start();
      assertThat(store.putLineAddress(report(Long.MAX_VALUE, "198.51.100.7")))
          .isInstanceOf(AddressCommit.Committed.class);
      assertThat(store.putLineAddress(report(1_000, "198.51.100.8")))
          .isEqualTo(new AddressCommit.Stale(Long.MAX_VALUE));

      assertThat(store.resetAgentSequence("office-gw")).isTrue();

      // This node remembers the old version and sequence: the report is still decided afresh.
      assertThat(store.putLineAddress(report(1_000, "198.51.100.8")))
          .isInstanceOf(AddressCommit.Committed.class);
      assertThat(store.putLineAddress(report(999, "198.51.100.9")))
          .isEqualTo(new AddressCommit.Stale(1_000));
      assertThat(store.resetAgentSequence("nobody")).isFalse();
    }
  }
}
