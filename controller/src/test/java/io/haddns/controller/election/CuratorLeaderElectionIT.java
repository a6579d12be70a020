package io.haddns.controller.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.LeaderLeaseConfig;
import io.haddns.controller.election.ElectionNode.Event;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.TcpProxy;
import io.haddns.probe.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CuratorLeaderElectionIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ZkPaths paths = new ZkPaths("election-it");
  private final List<Event> log = ElectionNode.newLog();
  private final AtomicLong seq = new AtomicLong();
  // Read by the sampler thread while the test adds nodes.
  private final List<ElectionNode> nodes = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> infra = new ArrayList<>();
  private volatile boolean sampling;
  private final AtomicInteger doubleLeaderSamples = new AtomicInteger();
  private Thread sampler;

  @AfterEach
  void tearDown() throws Exception {
    sampling = false;
    if (sampler != null) {
      sampler.join();
    }
    for (ElectionNode n : nodes) {
      n.close();
    }
    for (AutoCloseable c : infra.reversed()) {
      c.close();
    }
  }

  private ElectionNode node(String id, String connectString) {
    ElectionNode n = new ElectionNode(id, connectString, paths, log, seq);
    nodes.add(n);
    return n;
  }

  private ElectionNode leaseNode(String id, String connectString) {
    ElectionNode n =
        new ElectionNode(id, connectString, paths, log, seq, LeaderLeaseConfig.DEFAULTS);
    nodes.add(n);
    return n;
  }

  private List<ElectionNode> live() {
    return nodes.stream()
        .filter(n -> n.client.curator().getState().name().equals("STARTED"))
        .toList();
  }

  private Optional<ElectionNode> leader() {
    List<ElectionNode> leaders = live().stream().filter(n -> n.election.isLeader()).toList();
    assertThat(leaders).hasSizeLessThanOrEqualTo(1);
    return leaders.stream().findFirst();
  }

  private ElectionNode awaitLeader() {
    return awaitLeaderOtherThan(null);
  }

  private ElectionNode awaitLeaderOtherThan(ElectionNode old) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> leader().filter(n -> n != old).filter(ElectionNode::hasAcquired),
            Optional::isPresent)
        .get();
  }

  /**
   * Samples every node's isLeader() continuously; two leaders seen twice in a row is a violation.
   */
  private void startSampler() {
    sampling = true;
    sampler =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (sampling) {
                    if (countLeaders() > 1 && countLeaders() > 1) {
                      doubleLeaderSamples.incrementAndGet();
                    }
                    Thread.onSpinWait();
                  }
                });
  }

  private int countLeaders() {
    int count = 0;
    for (ElectionNode n : List.copyOf(nodes)) {
      if (n.election.isLeader()) {
        count++;
      }
    }
    return count;
  }

  /**
   * The listener calls, across nodes: a second acquired comes only after the first holder's lost,
   * or while the first holder's term is in doubt (it writes nothing then; its lost follows); epochs
   * increase.
   */
  private void assertTermsNeverOverlapAndEpochsIncrease() {
    String holder = null;
    boolean holderInDoubt = false;
    Set<String> overtaken = new HashSet<>();
    long lastEpoch = 0;
    for (Event e : List.copyOf(log)) {
      switch (e.kind()) {
        case "acquired" -> {
          assertThat(holder == null || holderInDoubt)
              .as("acquired by %s while %s led without doubt (%s)", e.node(), holder, log)
              .isTrue();
          if (holder != null) {
            overtaken.add(holder);
          }
          assertThat(e.epoch()).as("epochs increase: %s", log).isGreaterThan(lastEpoch);
          holder = e.node();
          holderInDoubt = false;
          lastEpoch = e.epoch();
        }
        case "lost" -> {
          if (e.node().equals(holder)) {
            holder = null;
          } else {
            assertThat(overtaken.remove(e.node())).as("lost only after acquired: %s", log).isTrue();
          }
        }
        case "doubt", "confirmed" -> {
          assertThat(e.node())
              .as("%s only by the term's holder: %s", e.kind(), log)
              .isEqualTo(holder);
          holderInDoubt = e.kind().equals("doubt");
        }
        default -> throw new AssertionError("unknown event " + e);
      }
    }
    assertThat(doubleLeaderSamples.get()).as("samples with two leaders").isZero();
  }

  private static LineHealth health(long epoch) {
    return new LineHealth("l1", Health.UP, List.of(), Instant.now(), epoch, "it");
  }

  @Test
  void electsOneLeaderAtATimeThroughGracefulHandoversThatDoNotWaitForASessionExpiry()
      throws Exception {
    TestingCluster cluster = ZkTestServers.cluster(3);
    infra.add(cluster);
    for (int i = 1; i <= 3; i++) {
      node("n" + i, cluster.getConnectString());
    }
    startSampler();
    for (int round = 0; round < 3; round++) {
      ElectionNode leader = awaitLeader();
      long before = leader.election.epoch();
      assertThat(before).isPositive();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  live().stream()
                      .allMatch(n -> n.election.leaderId().equals(Optional.of(leader.id))));

      long t0 = System.nanoTime();
      leader.close();
      ElectionNode next = awaitLeaderOtherThan(leader);
      long handoverMs = (next.events().getLast().nanos() - t0) / 1_000_000;
      assertThat(next).isNotSameAs(leader);
      // A handover, not an expiry: typically tens of ms; the bound is the session timeout.
      assertThat(handoverMs)
          .as("graceful handover time")
          .isLessThan(ZkTestServers.SESSION.toMillis());
      assertThat(next.election.epoch()).isGreaterThan(before);
      assertThat(leader.events().getLast().kind()).isEqualTo("lost");
      node("n" + (4 + round), cluster.getConnectString());
    }
    assertTermsNeverOverlapAndEpochsIncrease();
  }

  @Test
  void aStoppingLeaderEndsItsTermBeforeAnotherNodeCanAcquire() throws Exception {
    TestingServer server = ZkTestServers.server();
    infra.add(server);
    ElectionNode first = node("n1", server.getConnectString());
    await().atMost(WAIT).until(first::hasAcquired);
    ElectionNode second = node("n2", server.getConnectString());
    await().atMost(WAIT).until(() -> second.election.leaderId().equals(Optional.of(first.id)));
    first.lostTakes = Duration.ofMillis(500);

    first.close();
    awaitLeaderOtherThan(first);

    assertThat(first.events().getLast().kind()).isEqualTo("lost");
    assertThat(first.events().getLast().seq())
        .as("the stopping leader's lost returned before the next term began: %s", log)
        .isLessThan(second.events().getLast().seq());
    assertTermsNeverOverlapAndEpochsIncrease();
  }

  @Test
  void keepsElectingAndWritingWhenTheLeadersZooKeeperServerDies() throws Exception {
    TestingCluster cluster = ZkTestServers.cluster(3);
    infra.add(cluster);
    for (int i = 1; i <= 3; i++) {
      node("n" + i, cluster.getConnectString());
    }
    startSampler();
    ElectionNode leader = awaitLeader();
    leader.store.putHealth(leader.election.epoch(), health(leader.election.epoch()));

    InstanceSpec serving =
        cluster.findConnectionInstance(leader.client.curator().getZookeeperClient().getZooKeeper());
    assertThat(cluster.killServer(serving)).isTrue();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ElectionNode now = leader().orElseThrow(() -> new AssertionError("no leader yet"));
              long epoch = now.election.epoch();
              try {
                now.store.putHealth(epoch, health(epoch));
              } catch (NotLeaderException | RuntimeException e) {
                throw new AssertionError("write not accepted yet", e);
              }
            });
    for (ElectionNode n : nodes) {
      await().atMost(WAIT).until(() -> n.store.health().containsKey("l1"));
    }
    assertTermsNeverOverlapAndEpochsIncrease();
  }

  @Test
  void aLeaderCutOffPastItsSessionStepsDownFirstAndIsFencedAfterReconnecting() throws Exception {
    TestingServer server = ZkTestServers.server();
    infra.add(server);
    TcpProxy proxy = new TcpProxy("127.0.0.1", server.getPort());
    infra.add(proxy);
    ElectionNode cutOff = node("n1", proxy.address());
    await().atMost(WAIT).until(cutOff.election::isLeader);
    long oldEpoch = cutOff.election.epoch();
    node("n2", server.getConnectString());
    node("n3", server.getConnectString());
    startSampler();

    proxy.blackhole();
    long t0 = System.nanoTime();
    ElectionNode next = awaitLeaderOtherThan(cutOff);
    long failoverMs = (next.events().getLast().nanos() - t0) / 1_000_000;
    assertThat(next).isNotSameAs(cutOff);
    assertThat(failoverMs)
        .as("failover after a cut-off is bounded by the session timeout")
        .isGreaterThanOrEqualTo(ZkTestServers.SESSION.toMillis() / 2)
        .isLessThan(ZkTestServers.SESSION.toMillis() + 3000);
    Event lost = cutOff.events().getLast();
    assertThat(lost.kind()).isEqualTo("lost");
    assertThat(lost.seq()).isLessThan(next.events().getLast().seq());

    proxy.restore();
    await().atMost(WAIT).until(cutOff.client::isConnected);
    assertThatThrownBy(() -> cutOff.store.putHealth(oldEpoch, health(oldEpoch)))
        .isInstanceOf(NotLeaderException.class);
    assertThat(cutOff.election.isLeader()).isFalse();
    await().atMost(WAIT).until(() -> cutOff.election.leaderId().equals(Optional.of(next.id)));
    assertTermsNeverOverlapAndEpochsIncrease();
  }

  @Test
  void startsWithoutZooKeeperAndElectsOnceItAppears() throws Exception {
    int port = ZkTestServers.freePort();
    ElectionNode a = node("n1", "127.0.0.1:" + port);
    ElectionNode b = node("n2", "127.0.0.1:" + port);
    assertThat(a.client.isConnected()).isFalse();
    assertThat(a.election.isLeader()).isFalse();
    assertThat(a.election.leaderId()).isEmpty();
    assertThat(a.store.isPrimed()).isFalse();

    infra.add(ZkTestServers.server(port));
    ElectionNode leader = awaitLeader();
    ElectionNode other = leader == a ? b : a;
    assertThat(other.store.awaitPrimed(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> other.store.currentEpoch() == leader.election.epoch());
    assertTermsNeverOverlapAndEpochsIncrease();
  }

  @Test
  void aLeaderWhoseRenewalsAreConfirmedLateHoldsItsWritesAndKeepsItsTerm() throws Exception {
    LeaseLeader l = leaseLeaderBehindProxy(true);
    ElectionNode slow = l.leader();

    // The renewals reach ZooKeeper on time (the follower sees the lease move), but the leader
    // hears nothing for 900 ms, past its hold limit (500 ms) and short of its give-up (1,100 ms).
    l.proxy().holdReplies(Duration.ofMillis(900));
    await().atMost(WAIT).until(() -> kinds(slow).contains("doubt"));
    assertThat(slow.election.isLeader()).isFalse();
    await().atMost(WAIT).until(() -> kinds(slow).contains("confirmed"));
    await().atMost(WAIT).until(slow.election::isLeader);

    Thread.sleep(1000);
    assertThat(kinds(slow)).containsExactly("acquired", "doubt", "confirmed");
    assertThat(slow.election.epoch()).isEqualTo(l.epoch());
    assertThat(l.follower().events()).isEmpty();
    assertThat(l.follower().store.currentEpoch()).isEqualTo(l.epoch());
    assertTermsNeverOverlapAndEpochsIncrease();
  }

  @Test
  void aLoneLeaderWhoseRenewalsGoUnconfirmedPastTheGiveUpKeepsItsTermInDoubt() throws Exception {
    LeaseLeader l = leaseLeaderBehindProxy(false);
    ElectionNode alone = l.leader();

    // 1,300 ms without an answer: past the give-up (1,100 ms), short of the session's read timeout.
    l.proxy().holdReplies(Duration.ofMillis(1300));
    await().atMost(WAIT).until(() -> kinds(alone).contains("doubt"));
    await().atMost(WAIT).until(() -> kinds(alone).contains("confirmed"));

    Thread.sleep(1000);
    assertThat(kinds(alone)).containsExactly("acquired", "doubt", "confirmed");
    assertThat(alone.election.isLeader()).isTrue();
    assertThat(alone.election.epoch()).isEqualTo(l.epoch());
    assertThat(alone.store.currentEpoch()).isEqualTo(l.epoch());
  }

  @Test
  void aLeaderWithAFollowerWhoseRenewalsGoUnconfirmedPastTheGiveUpGivesItsTermUp()
      throws Exception {
    LeaseLeader l = leaseLeaderBehindProxy(true);
    ElectionNode slow = l.leader();

    l.proxy().holdReplies(Duration.ofMillis(1300));
    await().atMost(WAIT).until(() -> kinds(slow).contains("lost"));

    assertThat(kinds(slow).subList(0, 3)).containsExactly("acquired", "doubt", "lost");
    await().atMost(WAIT).until(() -> l.follower().store.currentEpoch() > l.epoch());
    assertTermsNeverOverlapAndEpochsIncrease();
  }

  @Test
  void aLeaderCutOffStopsSayingItLeadsBeforeTheFollowerTakesOverAndThenStepsDown()
      throws Exception {
    LeaseLeader l = leaseLeaderBehindProxy(true);
    ElectionNode cutOff = l.leader();

    l.proxy().blackhole();
    ElectionNode next = awaitLeaderOtherThan(cutOff);
    assertThat(next).isSameAs(l.follower());
    assertThat(next.election.epoch()).isGreaterThan(l.epoch());
    // Well within the session (2.5 s): the follower judged the silent lease, no expiry was waited.
    await().atMost(WAIT).until(() -> kinds(cutOff).contains("lost"));
    List<Event> mine = cutOff.events();
    assertThat(mine).extracting(Event::kind).containsExactly("acquired", "doubt", "lost");
    assertThat(mine.get(1).seq()).isLessThan(next.events().getFirst().seq());
    assertTermsNeverOverlapAndEpochsIncrease();
  }

  /** A lease leader n1 reaching ZooKeeper through a proxy, with a follower n2 if asked. */
  private record LeaseLeader(
      TcpProxy proxy, ElectionNode leader, long epoch, ElectionNode follower) {}

  private LeaseLeader leaseLeaderBehindProxy(boolean withFollower) throws Exception {
    TestingServer server = ZkTestServers.server();
    infra.add(server);
    TcpProxy proxy = new TcpProxy("127.0.0.1", server.getPort());
    infra.add(proxy);
    ElectionNode leader = leaseNode("n1", proxy.address());
    await().atMost(WAIT).until(leader.election::isLeader);
    long epoch = leader.election.epoch();
    ElectionNode follower = null;
    if (withFollower) {
      ElectionNode f = leaseNode("n2", server.getConnectString());
      await().atMost(WAIT).until(() -> f.store.currentEpoch() == epoch);
      follower = f;
    }
    startSampler();
    return new LeaseLeader(proxy, leader, epoch, follower);
  }

  private static List<String> kinds(ElectionNode n) {
    return n.events().stream().map(Event::kind).toList();
  }
}
