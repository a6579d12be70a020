package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.provider.embedded.EmbeddedDnsProvider;
import io.haddns.controller.reconcile.LeaderTerm;
import io.haddns.controller.reconcile.ReconcileResult;
import io.haddns.controller.reconcile.ZoneReconciler;
import io.haddns.controller.reconcile.ZoneReconcilerSettings;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.LogCapture;
import io.haddns.probe.Health;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The production wiring: each node's embedded server answers from its own ZkStateStore's applied
 * view, which the leader writes through the reconciler with the embedded provider. Record nodes
 * written outside a leader's fenced transaction (a raw client's {@code set} or {@code create})
 * never reach the answers.
 */
class AppliedStateDnsIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);

  private final ZkPaths paths = new ZkPaths("dns-it");
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<String, LineState> lines = new ConcurrentHashMap<>();
  private static final String FORGED = "203.0.113.66";

  private TestingServer zookeeper;
  private LogCapture logs;

  /** One cluster node's store and DNS server. */
  private record Node(ZkClient client, ZkStateStore store, EmbeddedDnsServer dns) {}

  @BeforeEach
  void startZooKeeper() throws Exception {
    zookeeper = ZkTestServers.server();
    logs = LogCapture.start();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    logs.close();
    zookeeper.close();
  }

  private <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  private Node node(String id) {
    ZkClient client = track(ZkTestServers.client(zookeeper.getConnectString()));
    ZkStateStore store =
        track(
            new ZkStateStore(client, paths, id, InstantSource.system(), StoreSettings.defaults()));
    store.start();
    assertThat(store.awaitPrimed(WAIT)).isTrue();
    AppliedStateZoneSource source = new AppliedStateZoneSource(store);
    ExecutorService notifier = Executors.newSingleThreadExecutor();
    track(notifier::shutdownNow);
    store.addListener(source, notifier);
    EmbeddedDnsServer dns =
        track(
            new EmbeddedDnsServer(
                DnsServerSettings.of("127.0.0.1", 0, TestZones.ZONES),
                source,
                DnsServerObserver.NOOP));
    dns.start();
    return new Node(client, store, dns);
  }

  private ZoneReconciler reconciler(Node node, LeaderTerm term, String id) {
    RecordConfig app = new RecordConfig(APP, 30, Policy.FAILOVER, List.of("a", "b"), "example.com");
    return new ZoneReconciler(
        ZoneReconcilerSettings.builder("example.com", List.of(app))
            .provider(new EmbeddedDnsProvider("example.com", node.store()))
            .store(node.store())
            .lines(() -> Map.copyOf(lines))
            .term(term)
            .nodeId(id)
            .clock(InstantSource.system())
            .build());
  }

  private static long beginTerm(Node node, ZkPaths paths, LeaderTerm term) throws Exception {
    String latch =
        node.client()
            .curator()
            .create()
            .creatingParentsIfNeeded()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(paths.leader() + "/n-latch-");
    long epoch = node.store().beginTerm(latch);
    term.begin(epoch);
    return epoch;
  }

  private static Message ask(Node node, String name, int type) throws IOException {
    SimpleResolver r =
        new SimpleResolver(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), node.dns().port()));
    r.setTimeout(Duration.ofSeconds(3));
    return r.send(
        Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
  }

  private static List<String> addresses(Node node) throws IOException {
    return addresses(node, "app.example.com");
  }

  private static long serial(Node node) throws IOException {
    return ((SOARecord) ask(node, "example.com", Type.SOA).getSection(Section.ANSWER).get(0))
        .getSerial();
  }

  private void line(String name, Health health, String address) throws Exception {
    lines.put(name, new LineState(name, health, List.of(InetAddress.getByName(address))));
  }

  @Test
  void leaderAndFollowerServeTheAppliedStateAndStaleLeaderCannotChangeIt() throws Exception {
    Node leader = node("node-1");
    Node follower = node("node-2");
    line("a", Health.UP, "192.0.2.1");
    line("b", Health.UP, "198.51.100.1");
    LeaderTerm leaderTerm = new LeaderTerm();
    long epoch = beginTerm(leader, paths, leaderTerm);
    ZoneReconciler leading = reconciler(leader, leaderTerm, "node-1");

    assertThat(leading.reconcile(epoch, true, Duration.ofMillis(100)))
        .isInstanceOf(ReconcileResult.Applied.class);

    for (Node n : List.of(leader, follower)) {
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(addresses(n)).containsExactly("192.0.2.1"));
    }
    long serialBefore = serial(follower);

    // Failover: the follower's answers follow the leader's next apply, with a higher serial.
    line("a", Health.DOWN, "192.0.2.1");
    assertThat(leading.reconcile(epoch, false, Duration.ofMillis(100)))
        .isInstanceOf(ReconcileResult.Applied.class);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(addresses(follower)).containsExactly("198.51.100.1"));
    assertThat(serial(follower)).isGreaterThan(serialBefore);

    // A new term on the follower fences the old leader: its apply changes no node's answers.
    LeaderTerm newTerm = new LeaderTerm();
    long next = beginTerm(follower, paths, newTerm);
    await().atMost(WAIT).until(() -> leader.store().currentEpoch() == next);
    line("a", Health.UP, "192.0.2.1");
    ReconcileResult stale = leading.reconcile(epoch, true, Duration.ofMillis(100));

    assertThat(stale).isInstanceOf(ReconcileResult.NotLeader.class);
    assertThat(addresses(leader)).containsExactly("198.51.100.1");
    assertThat(addresses(follower)).containsExactly("198.51.100.1");
  }

  @Test
  void aRawSetOrCreateOfRecordNodesDoesNotChangeWhatDnsAnswers() throws Exception {
    Node node = node("n1");
    CuratorFramework raw = track(ZkTestServers.client(zookeeper.getConnectString())).curator();
    long epoch = beginTerm(node, paths, new LeaderTerm());
    node.store().putApplied(epoch, List.of(applied(APP, epoch, "192.0.2.10")), List.of());
    await()
        .atMost(WAIT)
        .until(() -> addresses(node, "app.example.com").equals(List.of("192.0.2.10")));

    byte[] leaders = raw.getData().forPath(paths.record(APP));
    raw.setData().forPath(paths.record(APP), forged(leaders, "192.0.2.10", FORGED));
    RecordKey evil = new RecordKey("evil.example.com", RecordType.A);
    raw.create()
        .creatingParentsIfNeeded()
        .forPath(paths.record(evil), forged(leaders, "app.example.com", "evil.example.com"));
    await()
        .atMost(WAIT)
        .until(() -> warnings() >= 2 || addresses(node, "app.example.com").contains(FORGED));

    assertThat(addresses(node, "app.example.com")).containsExactly("192.0.2.10");
    assertThat(ask(node, "evil.example.com", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(warnings()).isGreaterThanOrEqualTo(2);
    assertThat(node.store().applied().get(APP).record().addresses())
        .containsExactly(MutableZoneSource.address("192.0.2.10"));
    Node fresh = node("n2");
    await().atMost(WAIT).until(() -> warnings() >= 4);
    assertThat(addresses(fresh, "app.example.com")).doesNotContain(FORGED);
    assertThat(ask(fresh, "evil.example.com", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);

    node.store().putApplied(epoch, List.of(applied(APP, epoch, "192.0.2.11")), List.of());
    await()
        .atMost(WAIT)
        .until(() -> addresses(node, "app.example.com").equals(List.of("192.0.2.11")));
    await()
        .atMost(WAIT)
        .until(() -> addresses(fresh, "app.example.com").equals(List.of("192.0.2.11")));
  }

  @Test
  void servesWildcardRecordsTheLeaderWroteWithTheirSiblings() throws Exception {
    Node node = node("n1");
    long epoch = beginTerm(node, paths, new LeaderTerm());
    RecordKey wildA = new RecordKey("*.w.example.com", RecordType.A);
    RecordKey wildAaaa = new RecordKey("*.w.example.com", RecordType.AAAA);
    node.store()
        .putApplied(
            epoch,
            List.of(applied(wildA, epoch, "192.0.2.20"), applied(wildAaaa, epoch, "2001:db8::20")),
            List.of());
    node.store().putApplied(epoch, List.of(applied(wildA, epoch, "192.0.2.21")), List.of());

    await()
        .atMost(WAIT)
        .until(() -> addresses(node, "x.w.example.com").equals(List.of("192.0.2.21")));
    assertThat(ask(node, "x.w.example.com", Type.AAAA).getSection(Section.ANSWER))
        .map(Record::rdataToString)
        .containsExactly("2001:db8:0:0:0:0:0:20");
  }

  @Test
  void backToBackWritesToOneNameKeepEveryRecordOfTheName() throws Exception {
    Node leader = node("n1");
    long epoch = beginTerm(leader, paths, new LeaderTerm());
    RecordKey aaaa = new RecordKey("app.example.com", RecordType.AAAA);

    for (int i = 1; i <= 5; i++) {
      leader.store().putApplied(epoch, List.of(applied(APP, epoch, "192.0.2." + i)), List.of());
      leader.store().putApplied(epoch, List.of(applied(aaaa, epoch, "2001:db8::" + i)), List.of());
    }
    Node fresh = node("n2");

    for (Node n : List.of(leader, fresh)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(addresses(n)).containsExactly("192.0.2.5");
                assertThat(ask(n, "app.example.com", Type.AAAA).getSection(Section.ANSWER))
                    .map(Record::rdataToString)
                    .containsExactly("2001:db8:0:0:0:0:0:5");
              });
    }
    assertThat(warnings()).isZero();
  }

  private static AppliedRecord applied(RecordKey key, long epoch, String address) {
    return new AppliedRecord(
        new RecordSet(key, 60, List.of(MutableZoneSource.address(address))),
        "example.com",
        epoch,
        Instant.now());
  }

  private long warnings() {
    return logs.lines().stream().filter(l -> l.contains("not written by a leader")).count();
  }

  private static byte[] forged(byte[] json, String from, String to) {
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> addresses(Node node, String name) throws IOException {
    return ask(node, name, Type.A).getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .toList();
  }
}
