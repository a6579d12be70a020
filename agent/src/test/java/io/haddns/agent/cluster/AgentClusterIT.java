package io.haddns.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.agent.cluster.AgentProcess.Ack;
import io.haddns.controller.store.ZkPaths;
import io.haddns.probe.testing.NetnsHost;
import io.haddns.probe.testing.RequiredCapability;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent process against three real controller processes on one ZooKeeper: the line's
 * address is a host in a network namespace (one of three, each answering ICMP echo at its own
 * 203.0.113.x address), the agent reports it over verified HTTPS, and the record is read back from
 * the nodes' embedded DNS servers with real queries. When a node is SIGKILLed mid-stream, every
 * report the agent logged as acknowledged is counted against ZooKeeper: each must be among the
 * reports committed to {@code agents/<id>} (read from ZooKeeper's transaction log, so no later
 * write hides it), {@code agents/<id>} must hold a sequence at least every acknowledged one, and
 * {@code lines/<line>/address} the address of the newest acknowledged change.
 */
class AgentClusterIT {
  private static final Path BASEDIR =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  private static final Path CONTROLLER_JAR = BASEDIR.resolve("../controller/target/haddns.jar");
  private static final Path AGENT_JAR = BASEDIR.resolve("target/haddns-agent.jar");
  private static final int ZK_TICK_MS = 200;

  /** Address changes in a burst, one every {@link #BURST_PERIOD}. */
  private static final int BURST = 20;

  private static final Duration BURST_PERIOD = Duration.ofMillis(150);

  /** Acknowledgements by the doomed node, counted from the burst's start, before it is killed. */
  private static final int ACKS_BEFORE_KILL = 5;

  @TempDir Path dir;
  private final List<NetnsHost> hosts = new ArrayList<>();
  private InstanceSpec zkSpec;
  private TestingServer zk;
  private ControllerCluster cluster;
  private ZkState zkState;
  private AgentProcess agent;
  private ScheduledExecutorService burstScheduler;

  // Runs before @AfterEach kills the processes, while their last words are still worth reading.
  @RegisterExtension
  final AfterTestExecutionCallback printLogsOnFailure =
      context -> {
        if (context.getExecutionException().isPresent()) {
          System.out.println(cluster == null ? "" : cluster.logTails(40));
          System.out.println(agent == null ? "" : agent.logTail(60));
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    RequiredCapability.requireRoot();
    RequiredCapability.requireBinary("ip", "iproute2");
    for (int i = 0; i < 3; i++) {
      hosts.add(NetnsHost.create());
    }
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Path publicKey = AgentProcess.writeKeys(dir);
    // A short tick lets ZooKeeper grant the 3 s session the nodes ask for.
    zkSpec = new InstanceSpec(null, -1, -1, -1, true, -1, ZK_TICK_MS, -1);
    zk = new TestingServer(zkSpec, true);
    cluster =
        ControllerCluster.start(CONTROLLER_JAR, dir, zk.getConnectString(), publicKey, pki, 3);
    zkState = ZkState.connect(zk.getConnectString(), dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (burstScheduler != null) {
      burstScheduler.shutdownNow();
    }
    if (agent != null) {
      agent.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (zkState != null) {
      zkState.close();
    }
    if (zk != null) {
      zk.close();
    }
    for (NetnsHost h : hosts) {
      h.close();
    }
  }

  private String host(int i) {
    return hosts.get(i % hosts.size()).address4().getHostAddress();
  }

  private int awaitSettledLeader(int members) {
    await("a settled leader among " + members + " nodes")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.settledLeader(members).isPresent());
    return cluster.settledLeader(members).orElseThrow();
  }

  /** Starts the agent with {@code first} as the node it talks to, then the others in order. */
  private void startAgent(int first, String address) throws Exception {
    List<String> controllers = new ArrayList<>();
    for (int k = 0; k < cluster.size(); k++) {
      controllers.add(cluster.gatewayUrl((first + k) % cluster.size()));
    }
    agent =
        AgentProcess.start(
            AGENT_JAR, dir, controllers, dir.resolve("pki").resolve("ca.pem"), address);
  }

  private Ack awaitAcknowledged(String address) {
    await("the agent's acknowledgement of " + address)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> agent.lastAck() != null && agent.lastAck().addresses().equals(List.of(address)));
    return agent.lastAck();
  }

  /** Polls the live nodes' DNS servers until each answers exactly {@code address}. */
  private void awaitDns(String address, List<Integer> nodes, Duration atMost) {
    await("DNS answering " + address + " at nodes " + nodes)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(cluster.dnsAnswer(n))
                    .as(ControllerCluster.nodeId(n))
                    .containsExactly(address);
              }
            });
  }

  /**
   * Rewrites the address file {@link #BURST} times, cycling through the hosts starting after host
   * 0; completes with the last address written.
   */
  private CompletableFuture<String> startBurst() {
    CompletableFuture<String> done = new CompletableFuture<>();
    AtomicInteger written = new AtomicInteger();
    burstScheduler = Executors.newSingleThreadScheduledExecutor();
    burstScheduler.scheduleAtFixedRate(
        () -> {
          int k = written.incrementAndGet();
          if (k > BURST) {
            return;
          }
          try {
            agent.setAddress(host(k));
            if (k == BURST) {
              done.complete(host(k));
            }
          } catch (IOException e) {
            done.completeExceptionally(e);
          }
        },
        0,
        BURST_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
    return done;
  }

  private List<Ack> acksVia(int node, long afterSequence) {
    String gateway = cluster.gatewayUrl(node);
    return agent.acks().stream()
        .filter(a -> a.sequence() > afterSequence && a.via(gateway))
        .toList();
  }

  private static long maxSequence(List<Ack> acks) {
    return acks.stream().mapToLong(Ack::sequence).max().orElse(0);
  }

  /**
   * The guarantee, counted: every report the agent logged as acknowledged (200 after the commit) is
   * one ZooKeeper committed to {@code agents/<id>} with the same sequence and addresses; sequences
   * strictly increase; {@code agents/<id>} holds at least every acknowledged sequence; the line
   * holds the addresses of the newest acknowledged change; the agent's state file agrees.
   */
  private void assertNoAcknowledgedReportLost() throws Exception {
    List<Ack> acks = agent.acks();
    assertThat(acks).isNotEmpty();
    for (int i = 1; i < acks.size(); i++) {
      assertThat(acks.get(i).sequence()).isGreaterThan(acks.get(i - 1).sequence());
    }
    List<ZkTxnLog.CommittedReport> committed = committedReports();
    List<Ack> missing = notCommitted(acks, committed);
    System.out.printf(
        "AgentClusterIT: %d reports acknowledged (%d changes), %d of them found committed in"
            + " ZooKeeper's transaction log (%d agents/<id> commits in all)%n",
        acks.size(),
        acks.stream().filter(Ack::changed).count(),
        acks.size() - missing.size(),
        committed.size());
    assertThat(missing).as("acknowledged but never committed to agents/<id>").isEmpty();
    for (int i = 1; i < committed.size(); i++) {
      assertThat(committed.get(i).sequence())
          .as("agents/<id> commits in zxid order")
          .isGreaterThan(committed.get(i - 1).sequence());
    }
    long highest = acks.stream().mapToLong(Ack::sequence).max().orElseThrow();
    assertThat(zkState.agentSequence()).as("agents/<id> sequence").isGreaterThanOrEqualTo(highest);
    Ack newestChange = acks.stream().filter(Ack::changed).reduce((a, b) -> b).orElseThrow();
    ZkState.LineReport line = zkState.lineReport();
    assertThat(line.addresses()).as("lines/<line>/address").isEqualTo(newestChange.addresses());
    assertThat(line.sequence())
        .as("lines/<line>/address sequence")
        .isGreaterThanOrEqualTo(newestChange.sequence());
    Ack last = acks.get(acks.size() - 1);
    JsonNode state = agent.state();
    assertThat(state.path("sequence").asLong()).isGreaterThanOrEqualTo(last.sequence());
    List<String> saved = new ArrayList<>();
    state
        .path("reported")
        .path(ControllerCluster.LINE + "/ipv4")
        .path("addresses")
        .forEach(a -> saved.add(a.asText()));
    assertThat(saved).as("agent state file").isEqualTo(last.addresses());
  }

  /** Every value ZooKeeper committed to {@code agents/<id>}, from its transaction log. */
  private List<ZkTxnLog.CommittedReport> committedReports() throws IOException {
    return ZkTxnLog.agentReports(
        zkSpec.getDataDirectory(),
        new ZkPaths(ControllerCluster.CLUSTER).agent(ControllerCluster.AGENT));
  }

  /** The acknowledged reports without a commit of the same sequence and addresses. */
  private static List<Ack> notCommitted(List<Ack> acks, List<ZkTxnLog.CommittedReport> committed) {
    Map<Long, List<String>> bySequence = new HashMap<>();
    committed.forEach(c -> bySequence.put(c.sequence(), c.addresses()));
    return acks.stream().filter(a -> !a.addresses().equals(bySequence.get(a.sequence()))).toList();
  }

  @Test
  void dnsFollowsEachAddressTheAgentReports() throws Exception {
    int leader = awaitSettledLeader(3);
    startAgent((leader + 1) % 3, host(0));
    List<Integer> all = List.of(0, 1, 2);

    for (int i = 0; i < 3; i++) {
      String address = host(i);
      long t0 = System.nanoTime();
      if (i > 0) {
        agent.setAddress(address);
      }
      Ack ack = awaitAcknowledged(address);
      awaitDns(address, all, Duration.ofSeconds(15));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "AgentClusterIT: address %s acknowledged (sequence %d via %s); every node's DNS"
              + " answered it %d ms after the change%n",
          address, ack.sequence(), ack.endpoint(), ms);
      assertThat(zkState.lineReport().addresses()).containsExactly(address);
    }
    assertNoAcknowledgedReportLost();
    assertThat(agent.errors()).isEmpty();
  }

  @Test
  void killingTheNodeTheAgentReportsToMidStreamLosesNoAcknowledgedReport() throws Exception {
    int leader = awaitSettledLeader(3);
    int doomed = (leader + 1) % 3;
    startAgent(doomed, host(0));
    long before = awaitAcknowledged(host(0)).sequence();

    CompletableFuture<String> burst = startBurst();
    await("acknowledgements by " + ControllerCluster.nodeId(doomed))
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> acksVia(doomed, before).size() >= ACKS_BEFORE_KILL);
    Instant killedAt = Instant.now();
    cluster.node(doomed).kill();
    long acknowledgedBeforeKill = assertAcknowledgedSoFarAreInZooKeeper();

    List<Integer> survivors = survivorsWithout(doomed);
    Ack firstElsewhere = awaitFirstAckAfter(maxSequence(acksVia(doomed, 0)), survivors);
    String last = burst.get(20, TimeUnit.SECONDS);
    awaitAcknowledged(last);
    long t0 = System.nanoTime();
    awaitDns(last, survivors, Duration.ofSeconds(15));

    List<Ack> acks = agent.acks();
    System.out.printf(
        "AgentClusterIT: SIGKILL of %s (the agent's node, a follower) after %d acknowledgements;"
            + " the agent's next acknowledgement came from %s %d ms after the kill; %d reports"
            + " acknowledged in all (%d after the kill); DNS at the survivors answered the last"
            + " address %d ms after its acknowledgement was seen%n",
        ControllerCluster.nodeId(doomed),
        acksVia(doomed, 0).size(),
        firstElsewhere.endpoint(),
        Duration.between(killedAt, firstElsewhere.loggedAt()).toMillis(),
        acks.size(),
        acks.stream().filter(a -> a.sequence() > acknowledgedBeforeKill).count(),
        (System.nanoTime() - t0) / 1_000_000);
    assertThat(acks.size()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL + 2);
    assertThat(Duration.between(killedAt, firstElsewhere.loggedAt()))
        .isLessThan(Duration.ofSeconds(5));
    assertNoAcknowledgedReportLost();
    // A report the dead node committed but could not answer is acknowledged by the next node.
    assertThat(agent.errors()).isEmpty();
  }

  @Test
  void killingTheLeaderDuringABurstLosesNoAcknowledgedReport() throws Exception {
    int leader = awaitSettledLeader(3);
    // The agent reports to the leader, so its death is both a gateway and a leader failover.
    startAgent(leader, host(0));
    long before = awaitAcknowledged(host(0)).sequence();
    awaitDns(host(0), List.of(0, 1, 2), Duration.ofSeconds(15));

    CompletableFuture<String> burst = startBurst();
    await("acknowledgements by the leader")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> acksVia(leader, before).size() >= ACKS_BEFORE_KILL);
    Instant killedAt = Instant.now();
    long k0 = System.nanoTime();
    cluster.node(leader).kill();
    long acknowledgedBeforeKill = assertAcknowledgedSoFarAreInZooKeeper();

    List<Integer> survivors = survivorsWithout(leader);
    Ack firstElsewhere = awaitFirstAckAfter(maxSequence(acksVia(leader, 0)), survivors);
    int next = awaitSettledLeader(2);
    long electedMs = (System.nanoTime() - k0) / 1_000_000;
    assertThat(next).isNotEqualTo(leader);
    String last = burst.get(20, TimeUnit.SECONDS);
    awaitAcknowledged(last);
    awaitDns(last, survivors, Duration.ofSeconds(20));
    long dnsMs = (System.nanoTime() - k0) / 1_000_000;

    List<Ack> acks = agent.acks();
    System.out.printf(
        "AgentClusterIT: SIGKILL of leader %s (the agent's node) after %d acknowledgements; the"
            + " agent's next acknowledgement came from %s %d ms after the kill; %s led %d ms after"
            + " the kill (session %s); %d reports acknowledged in all (%d after the kill); DNS at"
            + " the survivors answered the burst's last address %d ms after the kill%n",
        ControllerCluster.nodeId(leader),
        acksVia(leader, 0).size(),
        firstElsewhere.endpoint(),
        Duration.between(killedAt, firstElsewhere.loggedAt()).toMillis(),
        ControllerCluster.nodeId(next),
        electedMs,
        ControllerCluster.SESSION_TIMEOUT,
        acks.size(),
        acks.stream().filter(a -> a.sequence() > acknowledgedBeforeKill).count(),
        dnsMs);
    // Reports keep being acknowledged while there is no leader: any node commits them.
    assertThat(Duration.between(killedAt, firstElsewhere.loggedAt()))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(acks.size()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL + 2);
    assertNoAcknowledgedReportLost();
    assertThat(agent.errors()).isEmpty();
  }

  /**
   * Right after a kill: everything acknowledged so far, by the dead node too, is in ZooKeeper (a
   * node commits before it answers). Returns the highest sequence acknowledged so far.
   */
  private long assertAcknowledgedSoFarAreInZooKeeper() throws Exception {
    List<Ack> acks = agent.acks();
    long acknowledged = maxSequence(acks);
    assertThat(notCommitted(acks, committedReports()))
        .as("acknowledged before the kill but never committed")
        .isEmpty();
    assertThat(zkState.agentSequence()).isGreaterThanOrEqualTo(acknowledged);
    assertThat(zkState.lineReport().sequence()).isGreaterThanOrEqualTo(acknowledged);
    return acknowledged;
  }

  private static List<Integer> survivorsWithout(int dead) {
    List<Integer> out = new ArrayList<>(List.of(0, 1, 2));
    out.remove(Integer.valueOf(dead));
    return out;
  }

  /**
   * The first acknowledgement above {@code sequence} (the dead node's last), which must come from a
   * survivor.
   */
  private Ack awaitFirstAckAfter(long sequence, List<Integer> survivors) {
    await("an acknowledgement after the kill")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> agent.acks().stream().anyMatch(a -> a.sequence() > sequence));
    Ack first =
        agent.acks().stream().filter(a -> a.sequence() > sequence).findFirst().orElseThrow();
    assertThat(survivors.stream().map(cluster::gatewayUrl).anyMatch(first::via))
        .as("acknowledged by a survivor: %s", first.endpoint())
        .isTrue();
    return first;
  }
}
