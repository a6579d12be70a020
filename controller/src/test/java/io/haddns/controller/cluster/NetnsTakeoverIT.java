package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.HaddnsJar;
import io.haddns.controller.testing.ProcessCluster;
import io.haddns.probe.testing.NetnsHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The leader's host cut off the network (docs/architecture.md, "Fast takeover"): three {@code java
 * -jar haddns.jar controller} processes, each in a network namespace of its own joined to this host
 * by a veth pair, at the default 6 s session timeout and lease, with ZooKeeper, a real BIND and the
 * lines on this host. Taking the leader's end of its pair down cuts it off from everything at once;
 * its admin port answers nothing, so the followers judge it by its lease alone. The new leader
 * takes over, the cut-off node changes nothing at BIND after the new leader's first write (BIND's
 * update log, by source address), and once its link is back it follows.
 */
class NetnsTakeoverIT {
  private static final String SERVICES = "198.18.3.1";
  private static final String A = "198.18.3.21";
  private static final String B = "198.18.3.22";

  /** Per node: the namespace's address, and this host's address on the pair. */
  private static final List<List<String>> NETS =
      List.of(
          List.of("198.18.3.11", SERVICES),
          List.of("198.18.1.11", "198.18.1.1"),
          List.of("198.18.2.11", "198.18.2.1"));

  private static final Duration SESSION = Duration.ofSeconds(6);
  private static final Duration POLL = Duration.ofMillis(10);

  @TempDir Path dir;
  private final List<NetnsHost> namespaces = new ArrayList<>();
  private DnsTestServer dns;
  private ProcessCluster cluster;

  @RegisterExtension
  final AfterTestExecutionCallback printLogsOnFailure =
      context -> {
        if (context.getExecutionException().isPresent() && cluster != null) {
          System.out.println(cluster.logTails(80));
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    HaddnsJar jar = HaddnsJar.require();
    List<ProcessCluster.Place> places = new ArrayList<>();
    for (List<String> net : NETS) {
      List<String> outside =
          net.get(1).equals(SERVICES) ? List.of(SERVICES, A, B) : List.of(net.get(1));
      NetnsHost ns = NetnsHost.onSubnet(net.get(0), outside);
      namespaces.add(ns);
      ns.routeAllVia(net.get(1));
      places.add(new ProcessCluster.Place(net.get(0), net.get(0), ns.wrapper()));
    }
    dns = BindServer.start(dir.resolve("bind"), List.of(SERVICES), ProcessCluster.ZONE);
    cluster =
        ProcessCluster.start(
            jar,
            dir,
            dns,
            2,
            SESSION.toSeconds() + "s",
            "",
            new ProcessCluster.Layout(SERVICES, A, B, places));
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
      if (dns != null) {
        dns.close();
      }
    } finally {
      for (NetnsHost ns : namespaces) {
        ns.close();
      }
    }
  }

  /**
   * Cut off for less and for more than the session timeout: the first comes back with its session,
   * the second finds it expired. Either way it stopped leading by itself while cut off, and the
   * fence refuses whatever it may still try.
   */
  @ParameterizedTest(name = "cut off {0} ms")
  @ValueSource(ints = {3_000, 9_000})
  void cutOffLeaderIsReplacedNeverWritesAfterTheNewLeadersFirstWriteAndRejoinsAsAFollower(int cutMs)
      throws Exception {
    int old = cluster.awaitSettledLeader(A);
    ControllerProcess stale = cluster.node(old);
    NetnsHost host = namespaces.get(old);
    long oldEpoch = cluster.fenceEpoch();
    int updateMark = dns.updateLogLines().size();

    long t0 = System.nanoTime();
    host.disconnect();
    cluster.lineA.down();
    await()
        .atMost(SESSION.plusSeconds(5))
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .until(() -> cluster.fenceEpoch() > oldEpoch);
    long fenceMovedMs = (System.nanoTime() - t0) / 1_000_000;
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(cluster.answer()).containsExactly(B));
    long left = Duration.ofMillis(cutMs).toNanos() - (System.nanoTime() - t0);
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
    host.reconnect(NETS.get(old).get(1));
    long newEpoch = cluster.fenceEpoch();
    System.out.printf(
        "NetnsTakeoverIT: leader %s cut off for %d ms: new leader's fence at BIND after %d ms%n",
        stale.nodeId(), cutMs, fenceMovedMs);
    // No refused port from a host that answers nothing: the full detection, then the write.
    assertThat(fenceMovedMs).isBetween(0L, 2_000L);

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.leaders().size() == 1 && cluster.leaders().get(0) != old);
    int next = cluster.leaders().get(0);
    String nextId = ProcessCluster.nodeId(next);
    assertThat(cluster.node(next).status().epoch()).isEqualTo(newEpoch);
    await()
        .atMost(SESSION.plusSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                stale.isAlive()
                    && !stale.saysLeading()
                    && stale.status().leader().equals(nextId)
                    && stale.log().contains("leadership lost epoch=" + oldEpoch));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                cluster.answer().equals(List.of(B))
                    && cluster.fenceEpoch() == newEpoch
                    && cluster.leaders().equals(List.of(next)));

    // A host cut off answers nothing: no refused port, no closed connection; the lease decided.
    assertThat(cluster.liveSum("haddns_leader_takeovers_total", "lease-expired")).isEqualTo(1);
    assertThat(cluster.liveSum("haddns_leader_takeovers_total", null)).isEqualTo(1);
    assertThat(ProcessCluster.counter(stale, "haddns_leader_stepdowns_total", null)).isEqualTo(1);
    List<String> staleUpdates = cluster.updatesFrom(old, updateMark);
    System.out.printf(
        "NetnsTakeoverIT: after its link came back the cut-off node sent %d UPDATEs: %s%n",
        staleUpdates.size(), staleUpdates);
    assertThat(cluster.successfulUpdatesFrom(old, updateMark))
        .as("UPDATEs from the cut-off node that BIND applied after it was cut off")
        .isZero();
    assertThat(staleUpdates)
        .allMatch(
            l -> l.contains("update unsuccessful") && l.contains("prerequisite not satisfied"));
  }
}
