package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.BindServer;
import io.haddns.controller.testing.ControllerProcess;
import io.haddns.controller.testing.DnsTestServer;
import io.haddns.controller.testing.HaddnsJar;
import io.haddns.controller.testing.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three controllers as real {@code java -jar haddns.jar controller} processes on one ZooKeeper,
 * writing a real BIND: what an operator sees when the leader's process is killed or stopped, timed
 * at the DNS server (the new leader's first write is its claim of the zone's fence record), and
 * {@code haddns ctl status} run as a process.
 */
class ProcessFailoverIT {
  private static final String A = "127.0.0.21";
  private static final String B = "127.0.0.22";
  private static final Duration POLL = Duration.ofMillis(10);

  /** The session timeout the processes ask for (and, with a 200 ms tick, are granted). */
  private static final Duration SESSION = Duration.ofSeconds(3);

  /**
   * Rounds (100 ms each) until a line counts as up: a resumed stale leader keeps seeing line A down
   * for a second, long enough that its overdue retry, not a fresh probe result, decides its write.
   */
  private static final int RISE = 10;

  @TempDir Path dir;
  private HaddnsJar jar;
  private DnsTestServer dns;
  private ProcessCluster cluster;

  // Runs before @AfterEach kills the processes, while their last words are still worth reading.
  @RegisterExtension
  final AfterTestExecutionCallback printLogsOnFailure =
      context -> {
        if (context.getExecutionException().isPresent() && cluster != null) {
          System.out.println(cluster.logTails(60));
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    jar = HaddnsJar.require();
    dns = BindServer.start(dir.resolve("bind"), ProcessCluster.ZONE);
    // Without the leader lease: these tests show what the session and the DNS fence do alone
    // (FastTakeoverIT covers the lease). With it, a resumed stale leader usually finds its lease
    // lost and steps down before its overdue UPDATE, and the fence would not be exercised.
    cluster =
        ProcessCluster.start(
            jar,
            dir,
            dns,
            3,
            RISE,
            ProcessCluster.SESSION_TIMEOUT,
            "  leaderLease: { enabled: false }\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (dns != null) {
        dns.close();
      }
    }
  }

  /** Polls BIND until the fence holds an epoch above {@code epoch}; returns ms since {@code t0}. */
  private long awaitFenceAbove(long epoch, long t0, Duration atMost) {
    await()
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .until(() -> cluster.fenceEpoch() > epoch);
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Exactly one surviving node says it leads, stays so, and its epoch is the fence at BIND. */
  private void assertOneNewLeader(int old) throws Exception {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.leaders().size() == 1);
    int next = cluster.leaders().get(0);
    assertThat(next).isNotEqualTo(old);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.leaders().equals(List.of(next)));
    assertThat(cluster.node(next).status().epoch()).isEqualTo(cluster.fenceEpoch());
  }

  private void awaitAnswer(String... addresses) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(cluster.answer()).containsExactly(addresses));
  }

  @Test
  void killMinusNineOfLeaderHandsOverAndNewLeaderWritesDns() throws Exception {
    int old = cluster.awaitSettledLeader(A);
    long oldEpoch = cluster.fenceEpoch();

    long t0 = System.nanoTime();
    cluster.node(old).kill();
    // The dead node's session must expire at the ZooKeeper server before anyone else may lead.
    long tookMs = awaitFenceAbove(oldEpoch, t0, SESSION.plusSeconds(10));
    System.out.printf(
        "ProcessFailoverIT: SIGKILL of leader %s -> new leader's fence write at BIND: %d ms"
            + " (session timeout %d ms)%n",
        ProcessCluster.nodeId(old), tookMs, SESSION.toMillis());
    assertThat(tookMs).isLessThanOrEqualTo(SESSION.plusSeconds(3).toMillis());
    assertThat(cluster.node(old).isAlive()).isFalse();
    assertOneNewLeader(old);

    // The new leader probes the lines and writes: line A failing moves the record to B.
    cluster.lineA.down();
    awaitAnswer(B);
  }

  /**
   * The stale-leader case the fence exists for: the leader's process is frozen (SIGSTOP) while a
   * DNS write is pending, so it never sees SUSPENDED; a new leader takes over and writes; the old
   * process resumes still believing it leads, with its retry overdue. BIND's update log, by source
   * address, shows that it changed nothing after the new leader's first write.
   */
  @Test
  void frozenLeaderResumedWithAPendingWriteIsRefusedByTheFenceAtBind() throws Exception {
    int old = cluster.awaitSettledLeader(A);
    ControllerProcess stale = cluster.node(old);
    long oldEpoch = cluster.fenceEpoch();

    // A write the leader cannot deliver yet: BIND is away when line A fails, so moving the
    // record to B waits for a retry (backoff from 200 ms).
    int staleLogMark = stale.log().length();
    dns.stop();
    cluster.lineA.down();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(POLL)
        .until(
            () ->
                stale.log().contains("zone=" + ProcessCluster.ZONE + " apply failed transiently"));
    stale.freeze();
    int logMark = dns.updateLogLines().size();
    long staleWritesAtFreeze = cluster.successfulUpdatesFrom(old, 0);
    // Its fence claim and the record for A: the count sees real writes.
    assertThat(staleWritesAtFreeze).isPositive();
    dns.start();

    // The frozen node's session expires at the server; another node claims the fence (its first
    // write) and moves the record, then follows line A back.
    long t0 = System.nanoTime();
    long tookMs = awaitFenceAbove(oldEpoch, t0, SESSION.plusSeconds(15));
    long newEpoch = cluster.fenceEpoch();
    awaitAnswer(B);
    cluster.lineA.open();
    awaitAnswer(A);

    stale.resume();
    // It wakes with the retry overdue and its own line state (A down, so B): the stale UPDATE,
    // sent before it notices the lost session, fails the fence prerequisite.
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> stale.log().contains("leadership lost epoch=" + oldEpoch));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.answer().equals(List.of(A)) && cluster.fenceEpoch() == newEpoch);

    List<String> staleUpdates = cluster.updatesFrom(old, logMark);
    System.out.println(
        "ProcessFailoverIT: the stale node from the freeze on:\n"
            + stale.log().substring(staleLogMark));
    System.out.printf(
        "ProcessFailoverIT: SIGSTOP of leader %s -> new leader's fence at BIND in %d ms;"
            + " after SIGCONT the stale node sent %d UPDATEs, all refused: %s%n",
        stale.nodeId(), tookMs, staleUpdates.size(), staleUpdates);
    assertThat(cluster.successfulUpdatesFrom(old, 0)).isEqualTo(staleWritesAtFreeze);
    assertThat(staleUpdates)
        .as("UPDATEs from the stale node after it resumed")
        .isNotEmpty()
        .allMatch(
            l -> l.contains("update unsuccessful") && l.contains("prerequisite not satisfied"));
    assertThat(stale.log().substring(staleLogMark))
        .contains("zone=" + ProcessCluster.ZONE + " fenced epoch=" + oldEpoch);
    assertThat(stale.isAlive()).isTrue();
    assertOneNewLeader(old);
  }

  @Test
  void sigtermOfLeaderHandsOverWithoutWaitingForItsSessionToExpire() throws Exception {
    int old = cluster.awaitSettledLeader(A);
    long oldEpoch = cluster.fenceEpoch();
    ControllerProcess leader = cluster.node(old);

    long t0 = System.nanoTime();
    leader.terminate();
    long tookMs = awaitFenceAbove(oldEpoch, t0, Duration.ofSeconds(5));
    System.out.printf(
        "ProcessFailoverIT: SIGTERM of leader %s -> new leader's fence write at BIND: %d ms%n",
        leader.nodeId(), tookMs);
    // A handover, not an expiry: the new leader wrote before the old session could have expired
    // (typically within a few hundred ms; the printed time is the measurement).
    assertThat(tookMs).isLessThan(SESSION.toMillis());

    // The JVM ends a SIGTERM-initiated shutdown with 128 + 15 once the shutdown hooks are done:
    // haddns' hook stops the node, and main's own System.exit(0) waits behind the hook.
    assertThat(leader.awaitExit(Duration.ofSeconds(10))).isEqualTo(143);
    String log = leader.log();
    String id = leader.nodeId();
    assertThat(log)
        .contains("node=" + id + " stopping (signal)")
        .contains("election node=" + id + " closed")
        // Closing the latch hands leadership over and says so, not as a lost latch.
        .contains(
            "node="
                + id
                + " leadership lost epoch="
                + oldEpoch
                + " reason=stepped down (node stopping)")
        .doesNotContain("reason=latch lost")
        .contains("node=" + id + " stopped")
        .doesNotContain(" ERROR ");
    assertOneNewLeader(old);
  }

  @Test
  void ctlStatusShowsMembersLeaderAndRecords() throws Exception {
    int leader = cluster.awaitSettledLeader(A);
    String leaderId = ProcessCluster.nodeId(leader);
    ControllerProcess follower = cluster.node((leader + 1) % 3);
    // The follower answers from its replicated views: wait until they have caught up.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              ClusterStatus s = follower.status();
              return !s.leading()
                  && s.leader().equals(leaderId)
                  && s.members().size() == 3
                  && s.lines().size() == 2
                  && s.lines().stream().allMatch(l -> l.health().equals("up"))
                  && s.records().stream()
                      .anyMatch(
                          r ->
                              r.name().equals(ProcessCluster.RECORD)
                                  && r.addresses().equals(List.of(A)));
            });

    HaddnsJar.Result r =
        jar.run(dir, Duration.ofSeconds(30), "ctl", "status", "--endpoint", follower.endpoint());

    System.out.println("ProcessFailoverIT: haddns ctl status against a follower:\n" + r.stdout());
    assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isZero();
    assertThat(r.stdout())
        .contains("cluster proc-it")
        .contains("leader " + leaderId)
        .contains("answered-by " + follower.nodeId())
        .containsPattern(row(leaderId, "leader"))
        .containsPattern(row("a", "up", A))
        .containsPattern(row("b", "up", B))
        .containsPattern(row(ProcessCluster.RECORD, "A", "30", A));
    for (int i = 0; i < 3; i++) {
      String id = ProcessCluster.nodeId(i);
      String role = i == leader ? "leader" : "follower";
      assertThat(r.stdout())
          .containsPattern(row(id, role, "127.0.0.1:" + cluster.node(i).httpPort()));
    }

    int deadPort = ZkTestServers.freePort();
    HaddnsJar.Result dead =
        jar.run(
            dir,
            Duration.ofSeconds(30),
            "ctl",
            "status",
            "--endpoint",
            "http://127.0.0.1:" + deadPort);

    System.out.println(
        "ProcessFailoverIT: haddns ctl status, nothing listening:\n" + dead.stderr());
    assertThat(dead.exitCode()).isNotZero();
    assertThat(dead.stderr())
        .contains("nothing listens at http://127.0.0.1:" + deadPort + " (connection refused)")
        .contains("HADDNS_ENDPOINT");
    assertThat(dead.stdout()).isEmpty();
  }

  /** A table row of {@code haddns ctl status}: the cells in order, separated by blanks. */
  private static Pattern row(String... cells) {
    StringBuilder p = new StringBuilder("(?m)^");
    for (int i = 0; i < cells.length; i++) {
      p.append(i == 0 ? "" : "\\s+").append(Pattern.quote(cells[i]));
    }
    return Pattern.compile(p.append("(\\s|$)").toString());
  }
}
