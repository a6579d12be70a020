package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.testing.AdminHttp;
import io.haddns.controller.testing.ClusterHarness;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.RequiredBinary;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Three in-JVM nodes on a real three-server ZooKeeper quorum, serving {@code example.test} from
 * their own embedded DNS servers ({@code provider: { type: embedded }}), each on its own loopback
 * address. Every node's server is queried over the wire: the answer, the SOA serial and the NS set
 * with glue must agree on all nodes through a line failure, a leader failover and a restart; and
 * {@code /metrics} of leader and followers must show what happened.
 */
class EmbeddedClusterIT {
  private static final String A = "127.0.0.21";
  private static final String B = "127.0.0.22";
  private static final String ZONE = ClusterHarness.ZONE;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private ClusterHarness cluster;

  @BeforeEach
  void setUp() throws Exception {
    cluster = ClusterHarness.startEmbedded(dir, 3, "3s");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyNodeAnswersTheFailoverWithOneSerialAndTheLiveNodesAsNameServers() throws Exception {
    int leader = awaitOneLeader();
    awaitAnswerOn(List.of(0, 1, 2), A);
    awaitSameNameServersOn(List.of(0, 1, 2), List.of(0, 1, 2));
    long first = awaitSameSerialOn(List.of(0, 1, 2));

    // Line A fails: a follower's server answers what the leader wrote once it is written, pushed
    // by replication rather than found by the 30 s resync. The printed times are the measurement;
    // the bounds leave room for a loaded machine.
    int follower = (leader + 1) % 3;
    cluster.lineA.down();
    FirstAnswers seen = watchForAnswer(leader, follower, B);
    Instant written =
        cluster
            .node(follower)
            .store()
            .applied()
            .get(new RecordKey(ClusterHarness.RECORD, RecordType.A))
            .appliedAt();
    Duration sinceWrite = Duration.between(written, seen.follower());
    Duration behindLeader = Duration.between(seen.leader(), seen.follower());
    System.out.printf(
        "embedded follower answer: %d ms after the leader's write, %d ms after the leader's"
            + " own server%n",
        sinceWrite.toMillis(), behindLeader.toMillis());
    assertThat(sinceWrite)
        .as("the follower answers the new address only after the leader's write")
        .isPositive()
        .isLessThan(Duration.ofSeconds(5));
    assertThat(behindLeader.abs()).isLessThan(Duration.ofSeconds(5));
    awaitAnswerOn(List.of(0, 1, 2), B);
    long second = awaitSameSerialOn(List.of(0, 1, 2));
    assertThat(second).isGreaterThan(first);

    // The leader leaves: the others elect a new one, which fails the record back to line A.
    cluster.stop(leader);
    List<Integer> rest = new ArrayList<>(List.of(0, 1, 2));
    rest.remove(Integer.valueOf(leader));
    int next = awaitOneLeader();
    assertThat(next).isNotEqualTo(leader);
    cluster.lineA.open();
    awaitAnswerOn(rest, A);
    awaitSameNameServersOn(rest, rest);
    long third = awaitSameSerialOn(rest);
    assertThat(third).isGreaterThan(second);

    // The old leader comes back: it answers the same data with a serial no lower than before.
    cluster.restart(leader);
    awaitAnswerOn(List.of(0, 1, 2), A);
    awaitSameNameServersOn(List.of(0, 1, 2), List.of(0, 1, 2));
    long fourth = awaitSameSerialOn(List.of(0, 1, 2));
    assertThat(fourth).isGreaterThan(third);
  }

  @Test
  void metricsOfLeaderAndFollowerShowTheLineFailureAndTheLeaderChange() throws Exception {
    Path promtool = RequiredBinary.require("promtool", "prometheus");
    int old = awaitOneLeader();
    awaitAnswerOn(List.of(0, 1, 2), A);
    cluster.lineA.down();
    awaitAnswerOn(List.of(0, 1, 2), B);
    long oldEpoch = cluster.node(old).node().epoch();

    cluster.stop(old);
    int leader = awaitOneLeader();
    int follower = 3 - old - leader;
    // The new leader probes line A itself before it comes back.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        scrape(leader)
                            .value(
                                "haddns_probe_failures_total",
                                Map.of("kind", "tcp", "reason", "refused"))
                            .orElseThrow())
                    .isGreaterThanOrEqualTo(3));
    cluster.lineA.open();
    awaitAnswerOn(List.of(leader, follower), A);

    assertThat(answer(follower, ClusterHarness.RECORD, Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(follower, "nothing-here." + ZONE, Type.A).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(answer(follower, "www.elsewhere.example", Type.A).getRcode())
        .isEqualTo(Rcode.REFUSED);

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(scrape(leader).value("haddns_members")).hasValue(2));
    MetricsScrape lead = scrape(leader);
    assertThat(lead.promtoolProblems(promtool)).isEmpty();
    assertThat(lead.value("haddns_leader")).hasValue(1);
    assertThat(lead.value("haddns_epoch").orElseThrow())
        .isEqualTo(cluster.node(leader).node().epoch())
        .isGreaterThan(oldEpoch);
    assertThat(lead.value("haddns_ready")).hasValue(1);
    assertConnected(lead);
    assertThat(lead.value("haddns_line_health", Map.of("line", "a", "state", "up"))).hasValue(1);
    assertThat(lead.value("haddns_line_health", Map.of("line", "b", "state", "up"))).hasValue(1);
    assertThat(lead.value("haddns_line_transitions_total", Map.of("line", "a", "to", "up")))
        .hasValue(1);
    double probes =
        lead.value("haddns_probe_duration_seconds_count", Map.of("kind", "tcp")).orElseThrow();
    assertThat(probes).isPositive();
    assertThat(
            lead.value("haddns_probe_duration_seconds_bucket", Map.of("kind", "tcp", "le", "+Inf")))
        .hasValue(probes);
    assertThat(lead.value("haddns_probe_duration_seconds_sum", Map.of("kind", "tcp")).orElseThrow())
        .isPositive()
        .isLessThan(probes * 0.08);
    // The failback was applied by the new leader, reconciling on line A's health transition.
    assertThat(
            lead.value(
                    "haddns_reconciles_total",
                    Map.of("zone", ZONE, "trigger", "health", "result", "applied"))
                .orElseThrow())
        .isGreaterThanOrEqualTo(1);
    assertThat(lead.value("haddns_reconciles_total", Map.of("zone", ZONE, "trigger", "term_start")))
        .isPresent();
    assertThat(
            lead.value("haddns_applied_changes_total", Map.of("zone", ZONE, "change", "update"))
                .orElseThrow())
        .isGreaterThanOrEqualTo(1);
    assertThat(lead.value("haddns_records_applied", Map.of("zone", ZONE))).hasValue(1);
    assertThat(
            lead.value("haddns_applied_record_age_max_seconds", Map.of("zone", ZONE)).orElseThrow())
        .isBetween(0.0, 60.0);
    // The zone whose RFC 2136 server is not there: its applies fail, are retried, trip a breaker.
    String broken = ClusterHarness.BROKEN_ZONE;
    assertThat(
            lead.value(
                    "haddns_apply_errors_total",
                    Map.of("zone", broken, "provider", "rfc2136", "kind", "transient"))
                .orElseThrow())
        .isGreaterThanOrEqualTo(1);
    assertThat(
            lead.value(
                "haddns_apply_errors_total",
                Map.of("zone", ZONE, "provider", "embedded", "kind", "transient")))
        .satisfiesAnyOf(v -> assertThat(v).isEmpty(), v -> assertThat(v).hasValue(0));
    assertThat(
            lead.value("haddns_reconcile_retry_delay_seconds", Map.of("zone", broken))
                .orElseThrow())
        .isPositive();
    assertThat(lead.value("haddns_reconcile_retry_delay_seconds", Map.of("zone", ZONE)))
        .hasValue(0);
    assertThat(lead.value("haddns_provider_circuit_state", Map.of("zone", ZONE, "state", "closed")))
        .hasValue(1);
    assertThat(oneStateSet(lead, broken)).isTrue();
    assertThat(
            lead.value(
                    "haddns_provider_calls_total",
                    Map.of("zone", ZONE, "operation", "apply", "outcome", "success"))
                .orElseThrow())
        .isGreaterThanOrEqualTo(1);

    MetricsScrape f = scrape(follower);
    assertThat(f.promtoolProblems(promtool)).isEmpty();
    assertThat(f.value("haddns_leader")).hasValue(0);
    assertThat(f.value("haddns_ready")).hasValue(1);
    assertConnected(f);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              MetricsScrape now = scrape(follower);
              assertThat(now.value("haddns_epoch")).hasValue(cluster.node(leader).node().epoch());
              assertThat(now.value("haddns_members")).hasValue(2);
              assertThat(now.value("haddns_line_health", Map.of("line", "a", "state", "up")))
                  .hasValue(1);
            });
    assertThat(f.value("haddns_records_applied", Map.of("zone", ZONE))).hasValue(1);
    assertThat(f.value("haddns_applied_record_age_max_seconds", Map.of("zone", ZONE)).orElseThrow())
        .isBetween(0.0, 60.0);
    for (String rcode : List.of("noerror", "nxdomain", "refused")) {
      assertThat(
              f.value("haddns_dns_queries_total", Map.of("transport", "udp", "rcode", rcode))
                  .orElseThrow())
          .as("queries answered %s", rcode)
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void followerCutOffFromZooKeeperIsNotReadyUntilItHasCaughtUpWithWhatChangedMeanwhile()
      throws Exception {
    int leader = awaitOneLeader();
    int follower = (leader + 1) % 3;
    awaitAnswerOn(List.of(0, 1, 2), A);
    InetSocketAddress admin = cluster.node(follower).admin().address();
    assertThat(AdminHttp.status(admin, "/readyz")).isEqualTo(200);

    cluster.cutOffFromZooKeeper(follower);
    await().atMost(WAIT).until(() -> AdminHttp.status(admin, "/readyz") == 503);
    // The record moves while it cannot see it, and its session ends on the servers.
    cluster.lineA.down();
    awaitAnswerOn(List.of(leader), B);
    String id = ClusterHarness.nodeId(follower);
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.node(leader).store().members().stream()
                    .noneMatch(m -> m.nodeId().equals(id)));
    cluster.reconnectToZooKeeper(follower);

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> AdminHttp.status(admin, "/readyz") == 200);
    assertThat(
            cluster
                .node(follower)
                .store()
                .applied()
                .get(new RecordKey(ClusterHarness.RECORD, RecordType.A))
                .record()
                .addresses())
        .extracting(a -> a.getHostAddress())
        .containsExactly(B);
    awaitAnswerOn(List.of(follower), B);
  }

  private static void assertConnected(MetricsScrape m) {
    assertThat(m.value("haddns_zookeeper_connection_state", Map.of("state", "connected")))
        .hasValue(1);
    for (String s : List.of("connecting", "suspended", "lost", "read_only", "closed")) {
      assertThat(m.value("haddns_zookeeper_connection_state", Map.of("state", s))).hasValue(0);
    }
    assertThat(m.value("haddns_zookeeper_connected")).hasValue(1);
  }

  private static boolean oneStateSet(MetricsScrape m, String zone) {
    return m.samples().stream()
            .filter(s -> s.name().equals("haddns_provider_circuit_state"))
            .filter(s -> zone.equals(s.labels().get("zone")))
            .filter(s -> s.value() == 1)
            .count()
        == 1;
  }

  private record FirstAnswers(Instant leader, Instant follower) {}

  /** Polls both servers as fast as they answer until each has answered {@code address}. */
  private FirstAnswers watchForAnswer(int leader, int follower, String address) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    Instant atLeader = null;
    Instant atFollower = null;
    SimpleResolver toLeader = resolver(leader);
    SimpleResolver toFollower = resolver(follower);
    while ((atLeader == null || atFollower == null) && Instant.now().isBefore(deadline)) {
      if (atLeader == null && addresses(toLeader).equals(List.of(address))) {
        atLeader = Instant.now();
      }
      if (atFollower == null && addresses(toFollower).equals(List.of(address))) {
        atFollower = Instant.now();
      }
    }
    assertThat(atLeader).as("leader answered %s", address).isNotNull();
    assertThat(atFollower).as("follower answered %s", address).isNotNull();
    return new FirstAnswers(atLeader, atFollower);
  }

  private int awaitOneLeader() {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> cluster.leaders().size() == 1);
    return cluster.leaders().get(0);
  }

  private void awaitAnswerOn(List<Integer> nodes, String address) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              for (int i : nodes) {
                assertThat(addresses(resolver(i)))
                    .as("node %d answers", i)
                    .containsExactly(address);
              }
            });
  }

  private long awaitSameSerialOn(List<Integer> nodes) {
    long[] serial = new long[1];
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              Set<Long> serials = new TreeSet<>();
              for (int i : nodes) {
                serials.add(serial(i));
              }
              assertThat(serials).as("SOA serials of nodes %s", nodes).hasSize(1);
              serial[0] = serials.iterator().next();
            });
    return serial[0];
  }

  /** Every node in {@code asked} lists exactly the nodes in {@code serving}, with their glue. */
  private void awaitSameNameServersOn(List<Integer> asked, List<Integer> serving) {
    Set<String> expected = new TreeSet<>();
    for (int i : serving) {
      expected.add(ClusterHarness.embeddedDnsHost(i));
    }
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              Map<String, String> first = null;
              for (int i : asked) {
                Map<String, String> ns = nameServers(i);
                assertThat(new TreeSet<>(ns.values()))
                    .as("NS glue of node %d", i)
                    .isEqualTo(expected);
                if (first == null) {
                  first = ns;
                } else {
                  assertThat(ns).as("NS set of node %d", i).isEqualTo(first);
                }
              }
            });
  }

  /** NS target name to its glue address, from an apex NS query to node {@code i}. */
  private Map<String, String> nameServers(int i) throws IOException {
    Message m = answer(i, ZONE, Type.NS);
    assertThat(m.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
    Map<String, String> out = new java.util.TreeMap<>();
    List<Record> glue = m.getSection(Section.ADDITIONAL);
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof NSRecord ns) {
        Name target = ns.getTarget();
        String address =
            glue.stream()
                .filter(g -> g instanceof ARecord && g.getName().equals(target))
                .map(g -> ((ARecord) g).getAddress().getHostAddress())
                .findFirst()
                .orElse("no glue");
        out.put(target.toString(), address);
      }
    }
    return out;
  }

  private long serial(int i) throws IOException {
    return answer(i, ZONE, Type.SOA).getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof SOARecord)
        .mapToLong(r -> ((SOARecord) r).getSerial())
        .findFirst()
        .orElseThrow();
  }

  private Message answer(int i, String name, int type) throws IOException {
    return resolver(i)
        .send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, 1)));
  }

  private static List<String> addresses(SimpleResolver r) throws IOException {
    Message m =
        r.send(
            Message.newQuery(
                Record.newRecord(Name.fromString(ClusterHarness.RECORD, Name.root), Type.A, 1)));
    return m.getSection(Section.ANSWER).stream()
        .filter(x -> x instanceof ARecord)
        .map(x -> ((ARecord) x).getAddress().getHostAddress())
        .sorted()
        .toList();
  }

  private SimpleResolver resolver(int i) {
    InetSocketAddress at = cluster.node(i).dnsAddress().orElseThrow();
    SimpleResolver r = new SimpleResolver(at);
    r.setTimeout(Duration.ofSeconds(1));
    return r;
  }

  private MetricsScrape scrape(int node) throws IOException, InterruptedException {
    var a = cluster.node(node).admin().address();
    return MetricsScrape.of("http://" + a.getHostString() + ":" + a.getPort());
  }
}
