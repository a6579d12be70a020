package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.testing.TcpProxy;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZkStateStoreIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final ZkPaths paths = new ZkPaths("it");
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TestingServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = ZkTestServers.server();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    server.close();
  }

  private ZkClient client() {
    return track(ZkTestServers.client(server.getConnectString()));
  }

  private ZkStateStore store(ZkClient client, String node, StoreSettings settings) {
    ZkStateStore store = new ZkStateStore(client, paths, node, Clock.systemUTC(), settings);
    store.start();
    track(store);
    assertThat(store.awaitPrimed(WAIT)).isTrue();
    return store;
  }

  /** A store keeping {@code maxEvents} audit events of each kind, for an hour. */
  private ZkStateStore auditStore(ZkClient client, int maxEvents) {
    return store(client, "n1", StoreSettings.defaults().withAudit(maxEvents, Duration.ofHours(1)));
  }

  private ZkStateStore store(ZkClient client, String node) {
    return store(client, node, StoreSettings.defaults());
  }

  private <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  /** Plays the part of a LeaderLatch node: ephemeral, owned by {@code client}'s session. */
  private static String latchNode(ZkClient client, ZkPaths paths) throws Exception {
    return client
        .curator()
        .create()
        .creatingParentsIfNeeded()
        .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath(paths.leader() + "/n-latch-");
  }

  private String healthAtServer(ZkClient client, String line) throws Exception {
    return new String(
        client.curator().getData().forPath(paths.lineHealth(line)),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private static LineHealth health(String line, Health h, long epoch) throws Exception {
    return new LineHealth(
        line, h, List.of(InetAddress.getByName("198.51.100.7")), Instant.now(), epoch, "test");
  }

  private static AppliedRecord applied(int i, long epoch) throws Exception {
    byte[] a = {(byte) 10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
    RecordSet rs =
        new RecordSet(
            new RecordKey("r" + i + ".example.com", RecordType.A),
            30,
            List.of(InetAddress.getByAddress(a)));
    return new AppliedRecord(rs, "example.com", epoch, Instant.now());
  }

  @Test
  void beginTermReturnsStrictlyIncreasingEpochsOnlyWhileTheLatchNodeExists() throws Exception {
    ZkClient c = client();
    ZkStateStore store = store(c, "n1");
    String latch = latchNode(c, paths);

    long first = store.beginTerm(latch);
    long second = store.beginTerm(latch);
    assertThat(first).isPositive();
    assertThat(second).isGreaterThan(first);
    await().atMost(WAIT).until(() -> store.currentEpoch() == second);

    c.curator().delete().forPath(latch);
    assertThatThrownBy(() -> store.beginTerm(latch)).isInstanceOf(NotLeaderException.class);
  }

  @Test
  void beginTermRightAfterTermsItsViewHasNotSeenStillBeginsTheNextOne() throws Exception {
    ZkClient c1 = client();
    ZkClient c2 = client();
    ZkStateStore first = store(c1, "n1");
    ZkStateStore second = store(c2, "n2");
    long before = first.beginTerm(latchNode(c1, paths));
    await().atMost(WAIT).until(() -> second.currentEpoch() == before);

    // Terms begun by another session in a burst, right before the second store begins its own:
    // whether its view has caught up (its first attempt, with the epoch it saw, goes through) or
    // not (that attempt fails its version check and it reads), the term it begins is the next one.
    byte[] holder = c1.curator().getData().forPath(paths.epoch());
    for (int i = 0; i < 5; i++) {
      c1.curator().setData().forPath(paths.epoch(), holder);
    }
    long epoch = second.beginTerm(latchNode(c2, paths));

    assertThat(epoch).isEqualTo(before + 6);
    assertThat(c2.curator().checkExists().forPath(paths.epoch()).getVersion())
        .isEqualTo((int) epoch);
  }

  @Test
  void aStaleLeaderWritesNeitherTheHealthNorItsAuditEventNorAnyOtherLeaderEvent() throws Exception {
    ZkClient oldClient = client();
    ZkClient newClient = client();
    ZkStateStore old = store(oldClient, "n1");
    ZkStateStore next = store(newClient, "n2");
    long stale = old.beginTerm(latchNode(oldClient, paths));
    old.putHealth(
        stale,
        health("telecom", Health.UP, stale),
        new AuditEvent(Instant.now(), "n1", "health", "line=telecom unknown -> up"));
    assertThat(next.recentAudit(10))
        .extracting(AuditEvent::detail)
        .contains("line=telecom unknown -> up");

    long current = next.beginTerm(latchNode(newClient, paths));
    assertThat(current).isGreaterThan(stale);
    assertThatThrownBy(
            () ->
                old.putHealth(
                    stale,
                    health("telecom", Health.DOWN, stale),
                    new AuditEvent(Instant.now(), "n1", "health", "line=telecom up -> down")))
        .isInstanceOf(NotLeaderException.class);
    assertThatThrownBy(
            () -> old.audit(stale, new AuditEvent(Instant.now(), "n1", "apply", "stale apply")))
        .isInstanceOf(NotLeaderException.class);
    next.audit(current, new AuditEvent(Instant.now(), "n2", "leadership", "acquired"));

    // Read at the server, not from a view: the stale term left no trace.
    assertThat(healthAtServer(newClient, "telecom")).contains("\"up\"");
    assertThat(next.recentAudit(10))
        .extracting(AuditEvent::detail)
        .containsExactly("line=telecom unknown -> up", "acquired");
    assertThat(newClient.curator().getChildren().forPath(paths.audit())).hasSize(2);
  }

  @Test
  void followersSeeLeaderWritesAndANewLeaderStartsFromTheLastHealth() throws Exception {
    ZkClient leaderClient = client();
    ZkClient followerClient = client();
    ZkStateStore leader = store(leaderClient, "n1");
    ZkStateStore follower = store(followerClient, "n2");
    Set<StoreView> seen = ConcurrentHashMap.newKeySet();
    follower.addListener(seen::addAll, Runnable::run);

    long epoch = leader.beginTerm(latchNode(leaderClient, paths));
    leader.putHealth(epoch, health("telecom", Health.DOWN, epoch));
    leader.putApplied(epoch, List.of(applied(1, epoch)), List.of());

    await().atMost(WAIT).until(() -> follower.health().containsKey("telecom"));
    assertThat(follower.health().get("telecom").health()).isEqualTo(Health.DOWN);
    await().atMost(WAIT).until(() -> follower.applied().size() == 1);
    await()
        .atMost(WAIT)
        .until(
            () ->
                seen.containsAll(EnumSet.of(StoreView.HEALTH, StoreView.APPLIED, StoreView.EPOCH)));

    // Takeover: the follower begins a term and starts from what the old leader decided.
    long next = follower.beginTerm(latchNode(followerClient, paths));
    assertThat(next).isGreaterThan(epoch);
    assertThat(follower.health().get("telecom").health()).isEqualTo(Health.DOWN);
    follower.putHealth(next, health("telecom", Health.UP, next));
    await().atMost(WAIT).until(() -> leader.health().get("telecom").health() == Health.UP);

    // The old leader is fenced off.
    assertThatThrownBy(() -> leader.putHealth(epoch, health("telecom", Health.DOWN, epoch)))
        .isInstanceOf(NotLeaderException.class);
    assertThat(healthAtServer(leaderClient, "telecom")).contains("\"up\"");
  }

  @Test
  void
      healthOfThreeThousandLinesIsWrittenAtOnceWithTheirAuditEventsInAFewNodesAndAStaleEpochWritesNone()
          throws Exception {
    ZkClient c1 = client();
    ZkClient c2 = client();
    ZkStateStore old =
        store(c1, "n1", StoreSettings.defaults().withAudit(10_000, Duration.ofHours(1)));
    ZkStateStore current =
        store(c2, "n2", StoreSettings.defaults().withAudit(10_000, Duration.ofHours(1)));
    long stale = old.beginTerm(latchNode(c1, paths));
    long epoch = current.beginTerm(latchNode(c2, paths));

    List<StateStore.HealthChange> down = linesDown("n2", epoch, "l", 3000);
    current.putHealth(epoch, down);

    assertThat(c2.curator().getChildren().forPath(paths.lines())).hasSize(3000);
    assertThat(healthAtServer(c2, "l2999")).contains("\"down\"");
    await().atMost(WAIT).until(() -> old.health().size() == 3000);
    assertThat(current.recentAudit(5000))
        .extracting(AuditEvent::detail)
        .containsExactlyElementsOf(down.stream().map(c -> c.event().detail()).toList());
    // One node per transaction (a few hundred changes each), not one per event.
    List<AuditNode> nodes =
        auditChildren(c2).stream().map(n -> AuditNode.parse(n).orElseThrow()).toList();
    assertThat(nodes).hasSizeBetween(2, 30).allMatch(AuditNode::leader);
    assertThat(nodes).allMatch(n -> n.name().startsWith("l-"));
    assertThat(nodes.stream().mapToInt(AuditNode::events).sum()).isEqualTo(3000);

    List<StateStore.HealthChange> staleUp =
        List.of(
            new StateStore.HealthChange(
                health("l0000", Health.UP, stale),
                new AuditEvent(Instant.now(), "n1", "health", "line=l0000 down -> up")));
    assertThatThrownBy(() -> old.putHealth(stale, staleUp)).isInstanceOf(NotLeaderException.class);
    assertThat(healthAtServer(c2, "l0000")).contains("\"down\"");
    assertThat(current.recentAudit(1))
        .extracting(AuditEvent::detail)
        .containsExactly("line=l2999 up -> down");
  }

  @Test
  void aLineChangedTwiceInOneHealthWriteIsRefusedAndNothingIsWritten() throws Exception {
    ZkClient c = client();
    ZkStateStore store = store(c, "n1");
    long epoch = store.beginTerm(latchNode(c, paths));
    List<StateStore.HealthChange> twice =
        List.of(
            new StateStore.HealthChange(
                health("l1", Health.DOWN, epoch),
                new AuditEvent(Instant.now(), "n1", "health", "line=l1 up -> down")),
            new StateStore.HealthChange(
                health("l1", Health.UP, epoch),
                new AuditEvent(Instant.now(), "n1", "health", "line=l1 down -> up")));

    assertThatThrownBy(() -> store.putHealth(epoch, twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("l1");
    assertThat(store.recentAudit(10)).isEmpty();
  }

  @Test
  void putAppliedChunksFiveThousandRecordsAndAStaleEpochWritesNothing() throws Exception {
    ZkClient c1 = client();
    ZkClient c2 = client();
    ZkStateStore old = store(c1, "n1");
    ZkStateStore current = store(c2, "n2");
    long stale = old.beginTerm(latchNode(c1, paths));
    long epoch = current.beginTerm(latchNode(c2, paths));

    List<AppliedRecord> many = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add(applied(i, epoch));
    }
    current.putApplied(epoch, many, List.of());
    assertThat(c2.curator().getChildren().forPath(paths.records())).hasSize(5000);
    await().atMost(WAIT).until(() -> old.applied().size() == 5000);

    List<AppliedRecord> staleWrites = new ArrayList<>();
    for (int i = 5000; i < 6000; i++) {
      staleWrites.add(applied(i, stale));
    }
    List<RecordKey> staleRemovals =
        many.subList(0, 100).stream().map(a -> a.record().key()).toList();
    assertThatThrownBy(() -> old.putApplied(stale, staleWrites, staleRemovals))
        .isInstanceOf(NotLeaderException.class);
    assertThat(c1.curator().getChildren().forPath(paths.records())).hasSize(5000);

    List<RecordKey> removals = many.subList(0, 2500).stream().map(a -> a.record().key()).toList();
    current.putApplied(epoch, List.of(), removals);
    await().atMost(WAIT).until(() -> old.applied().size() == 2500);
    assertThat(old.applied()).doesNotContainKey(removals.getFirst());
    assertThat(old.applied(removals.getFirst())).isEmpty();
    assertThat(old.applied(many.getLast().record().key()))
        .contains(old.applied().get(many.getLast().record().key()));
  }

  @Test
  void upsertsEvenWhenTheWarmViewIsBehind() throws Exception {
    ZkClient c = client();
    ZkStateStore store = store(c, "n1");
    long epoch = store.beginTerm(latchNode(c, paths));
    AppliedRecord a = applied(7, epoch);
    // Back-to-back writes of the same key: the second may run before the view saw the first.
    store.putApplied(epoch, List.of(a), List.of());
    store.putApplied(epoch, List.of(a), List.of());
    store.putApplied(epoch, List.of(), List.of(a.record().key()));
    store.putApplied(epoch, List.of(), List.of(a.record().key()));
    assertThat(c.curator().checkExists().forPath(paths.record(a.record().key()))).isNull();
  }

  @Test
  void auditKeepsTheNewestEventsInOrderAndTrimsByCountAndAge() throws Exception {
    ZkClient c = client();
    ZkStateStore store = auditStore(c, 10);
    Instant now = Instant.now();
    store.audit(new AuditEvent(now.minus(Duration.ofHours(2)), "n1", "config", "ancient"));
    for (int i = 0; i < 15; i++) {
      store.audit(new AuditEvent(now, "n1", "health", "event " + i));
    }
    assertThat(store.recentAudit(3))
        .extracting(AuditEvent::detail)
        .containsExactly("event 12", "event 13", "event 14");

    store.trimAudit();
    List<AuditEvent> kept = store.recentAudit(100);
    assertThat(kept).hasSize(10);
    assertThat(kept.getFirst().detail()).isEqualTo("event 5");

    ZkStateStore ageOnly =
        store(client(), "n2", StoreSettings.defaults().withAudit(1000, Duration.ofHours(1)));
    ageOnly.audit(new AuditEvent(now.minus(Duration.ofHours(2)), "n2", "config", "old"));
    ageOnly.trimAudit();
    assertThat(ageOnly.recentAudit(100)).extracting(AuditEvent::detail).doesNotContain("old");
  }

  @Test
  void healthWrittenInSmallTransactionsKeepsEachAuditNodeWithinTheTransactionsSize()
      throws Exception {
    ZkClient c = client();
    ZkStateStore store =
        store(
            c,
            "n1",
            new StoreSettings(Duration.ofSeconds(5), 9, 4096, 10_000, Duration.ofHours(1)));
    long epoch = store.beginTerm(latchNode(c, paths));
    List<StateStore.HealthChange> down = linesDown("n1", epoch, "l", 200);

    store.putHealth(epoch, down);

    assertThat(store.recentAudit(1000))
        .extracting(AuditEvent::detail)
        .containsExactlyElementsOf(down.stream().map(h -> h.event().detail()).toList());
    List<String> nodes = auditChildren(c);
    // 9 operations: the epoch check, the audit node and three health upserts (two each).
    assertThat(nodes).hasSize(67).allMatch(n -> n.startsWith("l-") || n.startsWith("e-"));
    for (String node : nodes) {
      assertThat(c.curator().checkExists().forPath(paths.audit() + "/" + node).getDataLength())
          .isLessThan(4096);
    }
  }

  @Test
  void leaderEventsWrittenTogetherAreTrimmedWholeOnceAllOfThemArePastTheCount() throws Exception {
    ZkClient c = client();
    ZkStateStore store = auditStore(c, 5);
    long epoch = store.beginTerm(latchNode(c, paths));
    store.putHealth(epoch, linesDown("n1", epoch, "a", 4));
    store.putHealth(epoch, linesDown("n1", epoch, "b", 4));
    store.audit(epoch, new AuditEvent(Instant.now(), "n1", "apply", "lone 1"));
    store.audit(epoch, new AuditEvent(Instant.now(), "n1", "apply", "lone 2"));
    assertThat(auditChildren(c))
        .map(n -> n.replaceAll("-\\d+-(\\d+-)?\\d{10}$", ""))
        .containsExactlyInAnyOrder("l", "l", "e", "e");

    store.trimAudit();

    // Wave a has 6 newer events: all of it is past the count of 5, and goes. Wave b straddles the
    // count (2 newer events) and stays whole.
    List<String> waveB =
        List.of(
            "line=b0000 up -> down",
            "line=b0001 up -> down",
            "line=b0002 up -> down",
            "line=b0003 up -> down");
    assertThat(store.recentAudit(100))
        .extracting(AuditEvent::detail)
        .containsExactlyElementsOf(concat(waveB, List.of("lone 1", "lone 2")));
    for (int i = 3; i <= 5; i++) {
      store.audit(epoch, new AuditEvent(Instant.now(), "n1", "apply", "lone " + i));
    }
    store.trimAudit();
    assertThat(store.recentAudit(100))
        .extracting(AuditEvent::detail)
        .containsExactly("lone 1", "lone 2", "lone 3", "lone 4", "lone 5");
  }

  /** Lines {@code <prefix>0000}… going down, each with its audit event by {@code node}. */
  private static List<StateStore.HealthChange> linesDown(
      String node, long epoch, String prefix, int count) throws Exception {
    List<StateStore.HealthChange> down = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String line = String.format("%s%04d", prefix, i);
      down.add(
          new StateStore.HealthChange(
              health(line, Health.DOWN, epoch),
              new AuditEvent(Instant.now(), node, "health", "line=" + line + " up -> down")));
    }
    return down;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void gatewayEventsNeverPushLeaderEventsOutOfTheAuditTrail() throws Exception {
    ZkClient c = client();
    ZkStateStore store = auditStore(c, 5);
    long epoch = store.beginTerm(latchNode(c, paths));
    Instant now = Instant.now();
    store.audit(epoch, new AuditEvent(now, "n1", "leadership", "acquired epoch=" + epoch));
    store.audit(epoch, new AuditEvent(now, "n1", "health", "line=a up -> down"));
    for (int batch = 0; batch < 8; batch++) {
      List<AuditEvent> reports = new ArrayList<>();
      for (int i = batch * 5; i < batch * 5 + 5; i++) {
        reports.add(new AuditEvent(now, "n1", "address-report", "report " + i));
      }
      store.audit(reports);
    }
    assertThat(c.curator().getChildren().forPath(paths.audit())).hasSize(2 + 8);

    store.trimAudit();
    List<AuditEvent> kept = store.recentAudit(100);
    assertThat(kept)
        .extracting(AuditEvent::detail)
        .containsExactly(
            "acquired epoch=" + epoch,
            "line=a up -> down",
            "report 35",
            "report 36",
            "report 37",
            "report 38",
            "report 39");
  }

  private static List<AuditEvent> reports(Instant at, int from, int count) {
    List<AuditEvent> reports = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      reports.add(new AuditEvent(at, "n1", "address-report", "report " + i));
    }
    return reports;
  }

  private List<String> auditChildren(ZkClient client) throws Exception {
    return client.curator().getChildren().forPath(paths.audit());
  }

  @Test
  void gatewayEventsAppendedTogetherShareOneNodeAndReadBackInOrderAmongLeaderEvents()
      throws Exception {
    ZkClient c = client();
    ZkStateStore store = store(c, "n1");
    long epoch = store.beginTerm(latchNode(c, paths));
    Instant now = Instant.now();
    store.audit(epoch, new AuditEvent(now, "n1", "leadership", "acquired"));
    List<AuditEvent> reports = reports(now, 0, 300);
    store.audit(reports);
    store.audit(new AuditEvent(now, "n1", "refused", "alone"));
    store.audit(epoch, new AuditEvent(now, "n1", "health", "line=a up -> down"));

    assertThat(auditChildren(c)).hasSize(4).filteredOn(n -> n.startsWith("g-")).hasSize(2);
    List<AuditEvent> all = store.recentAudit(1000);
    assertThat(all).hasSize(303);
    assertThat(all.getFirst().detail()).isEqualTo("acquired");
    assertThat(all.subList(1, 301)).isEqualTo(reports);
    assertThat(all.subList(301, 303))
        .extracting(AuditEvent::detail)
        .containsExactly("alone", "line=a up -> down");
    assertThat(store.recentAudit(4))
        .extracting(AuditEvent::detail)
        .containsExactly("report 298", "report 299", "alone", "line=a up -> down");
  }

  @Test
  void countTrimKeepsTheBatchThatStraddlesTheLimitWhole() throws Exception {
    ZkClient c = client();
    ZkStateStore store = auditStore(c, 5);
    Instant now = Instant.now();
    for (int batch = 0; batch < 4; batch++) {
      store.audit(reports(now, batch * 3, 3));
    }

    store.trimAudit();
    assertThat(auditChildren(c)).hasSize(2);
    assertThat(store.recentAudit(100))
        .extracting(AuditEvent::detail)
        .containsExactly("report 6", "report 7", "report 8", "report 9", "report 10", "report 11");
  }

  @Test
  void ageTrimDeletesABatchOnlyWhenAllItsEventsAreOld() throws Exception {
    ZkClient c = client();
    ZkStateStore store = auditStore(c, 1000);
    Instant now = Instant.now();
    Instant old = now.minus(Duration.ofHours(2));
    store.audit(
        List.of(
            new AuditEvent(old.minus(Duration.ofHours(1)), "n1", "refused", "old 1"),
            new AuditEvent(old, "n1", "refused", "old 2")));
    // Out of time order within the batch: the newest event decides, wherever it is.
    store.audit(
        List.of(
            new AuditEvent(now, "n1", "refused", "new 1"),
            new AuditEvent(old, "n1", "refused", "old 3")));

    store.trimAudit();
    assertThat(auditChildren(c)).hasSize(1);
    assertThat(store.recentAudit(100))
        .extracting(AuditEvent::detail)
        .containsExactly("new 1", "old 3");
  }

  @Test
  void readsAndTrimsSingleEventGatewayNodesWrittenByOlderVersions() throws Exception {
    ZkClient c = client();
    ZkStateStore store = auditStore(c, 5);
    Instant now = Instant.now();
    Instant old = now.minus(Duration.ofHours(2));
    store.audit(reports(now, 0, 2));
    for (String[] legacy :
        new String[][] {
          {old.toString(), "legacy old"}, {now.toString(), "legacy 1"}, {now.toString(), "legacy 2"}
        }) {
      String json =
          "{\"at\":\"%s\",\"node\":\"n0\",\"type\":\"address-report\",\"detail\":\"%s\"}"
              .formatted(legacy[0], legacy[1]);
      c.curator()
          .create()
          .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
          .forPath(
              paths.audit() + "/g-" + Instant.parse(legacy[0]).toEpochMilli() + "-",
              json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    store.audit(reports(now, 2, 2));
    assertThat(store.recentAudit(3))
        .extracting(AuditEvent::detail)
        .containsExactly("legacy 2", "report 2", "report 3");
    assertThat(store.recentAudit(100)).hasSize(7);

    // The newest five events: report 2-3 (one node), legacy 2, legacy 1 and legacy old, which is
    // too old; report 0-1 is beyond the count.
    store.trimAudit();
    assertThat(store.recentAudit(100))
        .extracting(AuditEvent::detail)
        .containsExactly("legacy 1", "legacy 2", "report 2", "report 3");
    assertThat(auditChildren(c)).hasSize(3);
  }

  @Test
  void skipsAMalformedBatchNodeAndReadsTheOthers() throws Exception {
    ZkClient c = client();
    ZkStateStore store = store(c, "n1");
    Instant now = Instant.now();
    store.audit(reports(now, 0, 2));
    c.curator()
        .create()
        .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
        .forPath(
            paths.gatewayAuditBatchPrefix(now.toEpochMilli(), 2),
            "[{\"at\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    store.audit(reports(now, 2, 2));

    assertThat(store.recentAudit(100))
        .extracting(AuditEvent::detail)
        .containsExactly("report 0", "report 1", "report 2", "report 3");
  }

  @Test
  void splitsABatchLargerThanTheNodeBoundIntoSeveralNodesInOrder() throws Exception {
    ZkClient c = client();
    ZkStateStore store = store(c, "n1");
    Instant now = Instant.now();
    String padding = "x".repeat(230);
    List<AuditEvent> reports = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < 2000; i++) {
      reports.add(new AuditEvent(now, "n1", "address-report", "report " + i + " " + padding));
      bytes += new StoreCodec().encode(reports.getLast()).length + 1;
    }
    assertThat(bytes)
        .isBetween(
            2L * AuditTrail.MAX_NODE_BYTES + 100_000, 3L * AuditTrail.MAX_NODE_BYTES - 100_000);
    store.audit(reports);

    List<String> children = auditChildren(c);
    assertThat(children).hasSize(3);
    for (String child : children) {
      assertThat(c.curator().checkExists().forPath(paths.audit() + "/" + child).getDataLength())
          .isLessThanOrEqualTo(AuditTrail.MAX_NODE_BYTES);
    }
    assertThat(store.recentAudit(5000)).isEqualTo(reports);
    assertThat(store.recentAudit(1)).containsExactly(reports.getLast());
  }

  @Test
  void keepsBatchNodesWithinASmallerTransactionLimit() throws Exception {
    ZkClient c = client();
    StoreSettings small =
        new StoreSettings(Duration.ofSeconds(5), 3, 4096, 10_000, Duration.ofDays(30));
    ZkStateStore store = store(c, "n1", small);
    List<AuditEvent> reports = reports(Instant.now(), 0, 200);
    store.audit(reports);

    List<String> children = auditChildren(c);
    assertThat(children).hasSizeGreaterThan(3);
    for (String child : children) {
      assertThat(c.curator().checkExists().forPath(paths.audit() + "/" + child).getDataLength())
          .isLessThanOrEqualTo(4096);
    }
    assertThat(store.recentAudit(1000)).isEqualTo(reports);
  }

  @Test
  void membersAppearAndDisappearWithTheirSession() throws Exception {
    ZkClient c1 = client();
    ZkClient c2 = client();
    ZkStateStore s1 = store(c1, "n1");
    ZkStateStore s2 = store(c2, "n2");
    s1.registerMember(new MemberInfo("n1", "127.0.0.1:1", "test", Instant.now()));
    s2.registerMember(new MemberInfo("n2", "127.0.0.1:2", "test", Instant.now()));
    await()
        .atMost(WAIT)
        .until(
            () ->
                s1.members().stream().map(MemberInfo::nodeId).toList().equals(List.of("n1", "n2")));

    s2.registerMember(new MemberInfo("n2", "127.0.0.1:3", "test", Instant.now()));
    await().atMost(WAIT).until(() -> s1.members().getLast().httpAddress().equals("127.0.0.1:3"));

    // End n2's session on the server: its member node goes and comes back with the new session.
    String memberPath = paths.member("n2");
    long oldOwner = c2.curator().checkExists().forPath(memberPath).getEphemeralOwner();
    expireOnServer(c2);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var stat = c1.curator().checkExists().forPath(memberPath);
              return stat != null && stat.getEphemeralOwner() != oldOwner;
            });

    s2.close();
    await().atMost(WAIT).until(() -> s1.members().size() == 1);
  }

  /** Closes {@code client}'s session at the server, as a session expiry would. */
  static void expireOnServer(ZkClient client) throws Exception {
    var zk = client.curator().getZookeeperClient().getZooKeeper();
    var watcherLatch = new java.util.concurrent.CountDownLatch(1);
    var other =
        new org.apache.zookeeper.ZooKeeper(
            client.curator().getZookeeperClient().getCurrentConnectionString(),
            (int) ZkTestServers.SESSION.toMillis(),
            e -> {
              if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                watcherLatch.countDown();
              }
            },
            zk.getSessionId(),
            zk.getSessionPasswd());
    assertThat(watcherLatch.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    other.close();
  }

  @Test
  void isNotCaughtUpAfterASessionLossUntilItsViewsHaveReloadedTheChangesMadeMeanwhile()
      throws Exception {
    TcpProxy proxy = track(new TcpProxy("127.0.0.1", server.getPort()));
    ZkClient cutOff = track(ZkTestServers.client(proxy.address()));
    ZkStateStore follower = store(cutOff, "n1");
    ZkClient direct = client();
    ZkStateStore leader = store(direct, "n2");
    long epoch = leader.beginTerm(latchNode(direct, paths));
    AppliedRecord before = applied(1, epoch);
    leader.putApplied(epoch, List.of(before), List.of());
    await().atMost(WAIT).until(() -> follower.applied().containsKey(before.record().key()));
    long serialBefore = follower.zoneSerial("example.com");

    proxy.blackhole();
    await().atMost(WAIT).until(() -> !follower.isPrimed());
    // Let the server expire the cut-off session, then change the state behind its back.
    await().atMost(WAIT).until(() -> cutOff.connection() == ZkClient.Connection.LOST);
    AppliedRecord during = applied(2, epoch);
    leader.putApplied(epoch, List.of(during), List.of(before.record().key()));
    proxy.restore();

    await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(follower::isPrimed);
    assertThat(follower.applied())
        .containsKey(during.record().key())
        .doesNotContainKey(before.record().key());
    assertThat(follower.zoneSerial("example.com")).isEqualTo(serialBefore + 1);
    assertThat(cutOff.isConnected()).isTrue();
  }

  @Test
  void zoneSerialAdvancesWithEveryAppliedChangeOfTheZoneAndOnRequest() throws Exception {
    ZkClient c = client();
    ZkStateStore store = store(c, "n1");
    long epoch = store.beginTerm(latchNode(c, paths));
    assertThat(store.zoneSerial("example.com")).isZero();

    store.putApplied(epoch, List.of(applied(1, epoch), applied(2, epoch)), List.of());
    await().atMost(WAIT).until(() -> store.zoneSerial("example.com") == 1);
    store.putApplied(epoch, List.of(), List.of(applied(1, epoch).record().key()));
    await().atMost(WAIT).until(() -> store.zoneSerial("example.com") == 2);
    store.advanceSerial("example.com");
    await().atMost(WAIT).until(() -> store.zoneSerial("example.com") == 3);
    assertThat(store.zoneSerial("example.org")).isZero();

    // A store started later (a restarted node) reads the same serial.
    ZkStateStore again = store(client(), "n2");
    assertThat(again.zoneSerial("example.com")).isEqualTo(3);
  }

  @Test
  void writesFailWithinTheOperationTimeoutWhenZooKeeperIsCutOff() throws Exception {
    TcpProxy proxy = track(new TcpProxy("127.0.0.1", server.getPort()));
    ZkClient c = track(ZkTestServers.client(proxy.address()));
    ZkStateStore store =
        store(c, "n1", StoreSettings.defaults().withOperationTimeout(Duration.ofSeconds(1)));
    long epoch = store.beginTerm(latchNode(c, paths));

    proxy.blackhole();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> store.putHealth(epoch, health("l1", Health.UP, epoch)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
    assertThatThrownBy(() -> store.audit(new AuditEvent(Instant.now(), "n1", "test", "")))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void startsWithoutZooKeeperAndConnectsWhenItAppears() throws Exception {
    int port = ZkTestServers.freePort();
    ZkClient c = track(ZkTestServers.client("127.0.0.1:" + port));
    ZkStateStore store =
        new ZkStateStore(c, paths, "n1", Clock.systemUTC(), StoreSettings.defaults());
    store.start();
    track(store);
    assertThat(c.isConnected()).isFalse();
    assertThat(store.isPrimed()).isFalse();
    assertThat(store.health()).isEmpty();

    try (TestingServer late = ZkTestServers.server(port)) {
      assertThat(c.awaitConnected(WAIT)).isTrue();
      assertThat(store.awaitPrimed(WAIT)).isTrue();
      long epoch = store.beginTerm(latchNode(c, paths));
      store.putHealth(epoch, health("l1", Health.UP, epoch));
      await().atMost(WAIT).until(() -> store.health().containsKey("l1"));
      store.close();
      c.close();
    }
  }

  @Test
  void awaitPrimedBegunWhileCutOffReturnsOnceTheViewsReload() throws Exception {
    TcpProxy proxy = track(new TcpProxy("127.0.0.1", server.getPort()));
    ZkClient c = track(ZkTestServers.client(proxy.address()));
    ZkStateStore store = store(c, "n1");

    proxy.blackhole();
    await().atMost(WAIT).until(() -> !store.isPrimed());
    CompletableFuture<Boolean> primed =
        CompletableFuture.supplyAsync(() -> store.awaitPrimed(WAIT));
    Thread.sleep(300);
    assertThat(primed).isNotDone();

    // The reconnection starts a new round of loading; the wait follows it instead of the
    // round that was current when it began, which never completes.
    proxy.restore();
    assertThat(primed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(store.isPrimed()).isTrue();
  }
}
