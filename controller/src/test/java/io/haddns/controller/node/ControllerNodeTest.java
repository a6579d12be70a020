package io.haddns.controller.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.config.ClusterConfig;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineAddress;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.config.Policy;
import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.config.ZoneConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.election.LeaderElection;
import io.haddns.controller.election.LeadershipListener;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.reconcile.ReconcileResult;
import io.haddns.controller.store.AddressFamily;
import io.haddns.controller.store.AddressSubmission;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.StepDownRequest;
import io.haddns.controller.store.Versioned;
import io.haddns.controller.store.ZonePause;
import io.haddns.controller.testing.InMemoryDnsProvider;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.controller.testing.LogCapture;
import io.haddns.controller.testing.MemoryLineAddressStore;
import io.haddns.probe.Health;
import io.haddns.probe.engine.HealthTransition;
import io.haddns.probe.engine.LineTarget;
import io.haddns.probe.engine.ProbeSpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControllerNodeTest {
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);
  private static final RecordKey EDGE = new RecordKey("edge.example.com", RecordType.A);
  private static final RecordKey HOME = new RecordKey("home.example.com", RecordType.A);
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

  private final InMemoryStateStore store = new InMemoryStateStore();
  private final io.haddns.controller.testing.InMemoryIntentStore intents =
      new io.haddns.controller.testing.InMemoryIntentStore(store);
  private final MemoryLineAddressStore reported = new MemoryLineAddressStore(CLOCK);
  private final InMemoryDnsProvider provider = new InMemoryDnsProvider("example.com");
  private final FakeProbing probing = new FakeProbing();
  private final List<FakeElection> elections = new ArrayList<>();
  private final List<ReconcileResult> reconciled = new CopyOnWriteArrayList<>();
  private ControllerNode node;
  private HaddnsConfig config;

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @BeforeEach
  void setUp() throws Exception {
    List<ProbeSpec> tcp = List.of(new ProbeSpec.Tcp(443));
    config =
        HaddnsConfig.builder(
                new ClusterConfig(
                    "test",
                    Optional.of("127.0.0.1:2181"),
                    Duration.ofSeconds(6),
                    Duration.ofSeconds(3),
                    Path.of("/tmp"),
                    Duration.ofHours(1)),
                new NodeConfig("node-1", "127.0.0.1", 0))
            .lines(
                List.of(
                    new LineConfig(
                        "a",
                        new LineAddress.Static(List.of(ip("192.0.2.1"))),
                        tcp,
                        Duration.ofSeconds(1),
                        Duration.ofMillis(500),
                        3,
                        2),
                    new LineConfig(
                        "b",
                        new LineAddress.Static(List.of(ip("198.51.100.1"))),
                        tcp,
                        Duration.ofSeconds(1),
                        Duration.ofMillis(500),
                        3,
                        2),
                    // Reported documentation addresses (RFC 5737) are private.
                    new LineConfig(
                        "c",
                        new LineAddress.Agent("edge-agent"),
                        tcp,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(500),
                        3,
                        2,
                        AddressPolicy.ALLOW_PRIVATE),
                    new LineConfig(
                        "d",
                        new LineAddress.Agent("home-router"),
                        tcp,
                        Duration.ofSeconds(1),
                        Duration.ofMillis(500),
                        3,
                        2)))
            .zones(List.of(new ZoneConfig("example.com", new ProviderConfig.Embedded())))
            .records(
                List.of(
                    new RecordConfig(APP, 30, Policy.FAILOVER, List.of("a", "b"), "example.com"),
                    new RecordConfig(EDGE, 30, Policy.FAILOVER, List.of("c"), "example.com"),
                    new RecordConfig(HOME, 30, Policy.FAILOVER, List.of("d"), "example.com")))
            .build();
    node =
        new ControllerNode(
            ControllerNodeSettings.builder(config)
                .store(store)
                .reported(reported)
                .elections(
                    listener -> {
                      FakeElection e = new FakeElection(listener);
                      elections.add(e);
                      return e;
                    })
                .probing(probing)
                .providers(Map.of("example.com", provider))
                .observer((zone, trigger, result) -> reconciled.add(result))
                .intents(intents)
                .clock(CLOCK)
                .build());
    node.start();
  }

  @AfterEach
  void tearDown() {
    node.close();
  }

  @Test
  void followerNeitherProbesNorWrites() {
    assertThat(node.isLeader()).isFalse();
    assertThat(probing.started).isFalse();
    assertThat(provider.appliedBatches()).isEmpty();
  }

  @Test
  void newLeaderStartsProbingFromLastKnownHealthAndWritesRecord() throws Exception {
    long epoch = store.beginTerm("/l");
    store.putHealth(
        epoch,
        new LineHealth("a", Health.UP, List.of(ip("192.0.2.1")), CLOCK.instant(), epoch, ""));
    long next = store.beginTerm("/l2");

    elections.get(0).listener.acquired(next);

    assertThat(probing.seed).containsEntry("a", Health.UP).doesNotContainKey("b");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(provider.records().get(APP).addresses())
                    .containsExactly(ip("192.0.2.1")));
    assertThat(provider.fence()).isEqualTo(next);
  }

  @Test
  void seedIgnoresHealthRecordedForOtherAddresses() throws Exception {
    long epoch = store.beginTerm("/l");
    store.putHealth(
        epoch,
        new LineHealth("a", Health.UP, List.of(ip("203.0.113.1")), CLOCK.instant(), epoch, ""));
    elections.get(0).listener.acquired(store.beginTerm("/l2"));
    assertThat(probing.seed).doesNotContainKey("a");
  }

  @Test
  void lineGoingDownMovesRecordAndRecordsTransition() throws Exception {
    long epoch = store.beginTerm("/l");
    probing.health.put("a", Health.UP);
    probing.health.put("b", Health.UP);
    elections.get(0).listener.acquired(epoch);
    await().untilAsserted(() -> assertThat(provider.records()).containsKey(APP));

    probing.health.put("a", Health.DOWN);
    probing.sink.accept(
        new HealthTransition(
            "a",
            List.of(ip("192.0.2.1")),
            Health.UP,
            Health.DOWN,
            CLOCK.instant(),
            "3 failed rounds"));

    await()
        .untilAsserted(
            () ->
                assertThat(provider.records().get(APP).addresses())
                    .containsExactly(ip("198.51.100.1")));
    await()
        .untilAsserted(() -> assertThat(store.health().get("a").health()).isEqualTo(Health.DOWN));
    await()
        .untilAsserted(
            () ->
                assertThat(store.recentAudit(50))
                    .extracting(e -> e.type() + " " + e.detail())
                    .contains("leadership acquired epoch=" + epoch, "health line=a up -> down")
                    .anyMatch(line -> line.startsWith("apply zone=example.com update ")));
    assertThat(store.unfencedAudit()).as("every leader event is fenced by its epoch").isEmpty();
  }

  @Test
  void transitionsDecidedWhileAHealthWriteIsUnderwayAreWrittenTogetherInOrder() throws Exception {
    long epoch = store.beginTerm("/l");
    probing.health.put("a", Health.UP);
    elections.get(0).listener.acquired(epoch);
    CountDownLatch release = store.holdHealthWrites();

    transition("a", "192.0.2.1", Health.UP, Health.DOWN);
    // The first write is under way (held) before the others are decided.
    await().until(store::healthWriteHeld);
    List<String> expected = new ArrayList<>(List.of("health line=a up -> down"));
    for (int i = 0; i < 200; i++) {
      String line = String.format("l%03d", i);
      probing.sink.accept(
          new HealthTransition(
              line, List.of(ip("203.0.113.9")), Health.UP, Health.DOWN, CLOCK.instant(), "test"));
      expected.add("health line=" + line + " up -> down");
    }
    // The same line again: a write never holds two changes of one line.
    probing.sink.accept(
        new HealthTransition(
            "l000", List.of(ip("203.0.113.9")), Health.DOWN, Health.UP, CLOCK.instant(), "test"));
    expected.add("health line=l000 down -> up");
    release.countDown();

    await().untilAsserted(() -> assertThat(store.healthWrites()).containsExactly(1, 200, 1));
    assertThat(store.recentAudit(500))
        .extracting(e -> e.type() + " " + e.detail())
        .filteredOn(line -> line.startsWith("health "))
        .containsExactlyElementsOf(expected);
    assertThat(store.health().get("l000").health()).isEqualTo(Health.UP);
    assertThat(store.health().get("l199").health()).isEqualTo(Health.DOWN);
  }

  @Test
  void lostLeadershipStopsProbingAndWriting() throws Exception {
    long epoch = store.beginTerm("/l");
    probing.health.put("a", Health.UP);
    elections.get(0).listener.acquired(epoch);
    await().untilAsserted(() -> assertThat(provider.records()).containsKey(APP));
    int batches = provider.appliedBatches().size();

    elections.get(0).listener.lost("SUSPENDED");
    probing.health.put("a", Health.DOWN);
    probing.health.put("b", Health.UP);

    assertThat(node.isLeader()).isFalse();
    assertThat(probing.started).isFalse();
    assertThat(provider.appliedBatches()).hasSize(batches);
  }

  @Test
  void fencedWriteMakesTheNodeStepDownAndRejoin() throws Exception {
    long epoch = store.beginTerm("/l");
    probing.health.put("a", Health.UP);
    provider.failNext(new FencedException("held by epoch 99"));

    elections.get(0).listener.acquired(epoch);

    await().untilAsserted(() -> assertThat(elections).hasSize(2));
    assertThat(elections.get(0).closed).isTrue();
    assertThat(elections.get(1).started).isTrue();
    assertThat(node.isLeader()).isFalse();
  }

  private void report(String address, long sequence) throws Exception {
    report("c", "edge-agent", sequence, address);
  }

  /** Commits a report straight to the store, as an older node or an operator by hand might. */
  private void report(String line, String agent, long sequence, String... addresses)
      throws Exception {
    List<InetAddress> list = new ArrayList<>();
    for (String a : addresses) {
      list.add(ip(a));
    }
    reported.putLineAddress(
        new AddressSubmission(
            line,
            AddressFamily.IPV4,
            list,
            CLOCK.instant(),
            OptionalLong.of(sequence),
            agent,
            "node-2"));
  }

  @Test
  void leaderNeitherProbesNorPublishesAStoredAddressOutsideTheLinePolicy() throws Exception {
    elections.get(0).listener.acquired(store.beginTerm("/l"));
    report("d", "home-router", 1, "1.1.1.1");
    await()
        .untilAsserted(
            () -> assertThat(probing.targets.get("d").addresses()).containsExactly(ip("1.1.1.1")));
    transition("d", "1.1.1.1", Health.UNKNOWN, Health.UP);
    await()
        .untilAsserted(
            () ->
                assertThat(provider.records().get(HOME).addresses())
                    .containsExactly(ip("1.1.1.1")));

    // Line d admits public addresses only; 10.0.0.7 reached ZooKeeper some other way.
    report("d", "home-router", 2, "10.0.0.7");

    await().untilAsserted(() -> assertThat(probing.targets.get("d").addresses()).isEmpty());
    assertThat(node.lineStates().get("d").addresses()).isEmpty();
    probing.health.put("d", Health.UP);
    node.lineStates();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(provider.records().get(HOME).addresses())
                    .containsExactly(ip("1.1.1.1")));
    await()
        .untilAsserted(
            () ->
                assertThat(store.recentAudit(50))
                    .filteredOn(e -> e.type().equals("address-ignored"))
                    .singleElement()
                    .satisfies(
                        e ->
                            assertThat(e.detail())
                                .startsWith("line=d 10.0.0.7 is private-use (RFC 1918")));
  }

  @Test
  void leaderProbesAndPublishesOnlyTheAdmittedAddressesOfAMixedReport() throws Exception {
    elections.get(0).listener.acquired(store.beginTerm("/l"));

    // Line c allows private addresses, but loopback is never a line's address.
    report("c", "edge-agent", 1, "203.0.113.7", "127.0.0.9");

    await()
        .untilAsserted(
            () ->
                assertThat(probing.targets.get("c").addresses())
                    .containsExactly(ip("203.0.113.7")));
    transition("c", "203.0.113.7", Health.UNKNOWN, Health.UP);
    await()
        .untilAsserted(
            () ->
                assertThat(provider.records().get(EDGE).addresses())
                    .containsExactly(ip("203.0.113.7")));
  }

  private void transition(String line, String address, Health from, Health to) throws Exception {
    probing.health.put(line, to);
    probing.sink.accept(
        new HealthTransition(line, List.of(ip(address)), from, to, CLOCK.instant(), "test"));
  }

  @Test
  void leaderProbesAReportedAddressAtOnceAndPointsTheRecordAtItOnceHealthy() throws Exception {
    elections.get(0).listener.acquired(store.beginTerm("/l"));
    assertThat(probing.targets.get("c").addresses()).isEmpty();

    report("203.0.113.7", 1);

    await()
        .untilAsserted(
            () ->
                assertThat(probing.targets.get("c").addresses())
                    .containsExactly(ip("203.0.113.7")));
    assertThat(node.lineStates().get("c").health()).isEqualTo(Health.UNKNOWN);
    assertThat(provider.records()).doesNotContainKey(EDGE);

    transition("c", "203.0.113.7", Health.UNKNOWN, Health.UP);

    await()
        .untilAsserted(
            () ->
                assertThat(provider.records().get(EDGE).addresses())
                    .containsExactly(ip("203.0.113.7")));
  }

  @Test
  void recordFollowsANewReportedAddressOnlyAfterItIsProbedHealthy() throws Exception {
    report("203.0.113.7", 1);
    elections.get(0).listener.acquired(store.beginTerm("/l"));
    transition("c", "203.0.113.7", Health.UNKNOWN, Health.UP);
    await().untilAsserted(() -> assertThat(provider.records()).containsKey(EDGE));

    // The probe engine resets a line whose addresses changed; the fake does what it would.
    probing.health.put("c", Health.UNKNOWN);
    report("203.0.113.99", 2);

    await()
        .untilAsserted(
            () ->
                assertThat(probing.targets.get("c").addresses())
                    .containsExactly(ip("203.0.113.99")));
    assertThat(node.lineStates().get("c").addresses()).containsExactly(ip("203.0.113.99"));
    assertThat(provider.records().get(EDGE).addresses()).containsExactly(ip("203.0.113.7"));

    transition("c", "203.0.113.99", Health.UNKNOWN, Health.UP);
    await()
        .untilAsserted(
            () ->
                assertThat(provider.records().get(EDGE).addresses())
                    .containsExactly(ip("203.0.113.99")));
  }

  @Test
  void followerNeitherProbesNorWritesReportedAddresses() throws Exception {
    report("203.0.113.7", 1);

    await().until(() -> node.lineStates().get("c").addresses().equals(List.of(ip("203.0.113.7"))));
    assertThat(probing.updates).isZero();
    assertThat(probing.started).isFalse();
    assertThat(provider.appliedBatches()).isEmpty();
  }

  @Test
  void replicatedHealthOfAnOldAddressDoesNotCountForANewOne() throws Exception {
    long epoch = store.beginTerm("/l");
    store.putHealth(
        epoch,
        new LineHealth("c", Health.UP, List.of(ip("203.0.113.7")), CLOCK.instant(), epoch, ""));
    report("203.0.113.7", 1);
    assertThat(node.lineStates().get("c").health()).isEqualTo(Health.UP);

    report("203.0.113.99", 2);

    assertThat(node.lineStates().get("c").health()).isEqualTo(Health.UNKNOWN);
    elections.get(0).listener.acquired(store.beginTerm("/l2"));
    assertThat(probing.seed).doesNotContainKey("c");
  }

  private AuditEvent operatorEvent(String kind) {
    return new AuditEvent(CLOCK.instant(), "node-2", kind, "by=alice");
  }

  private void awaitAppAt(String address) {
    await()
        .untilAsserted(
            () -> assertThat(provider.records().get(APP).addresses()).containsExactly(ip(address)));
  }

  private void leadWithAAndBUp() throws Exception {
    long epoch = store.beginTerm("/l");
    probing.health.put("a", Health.UP);
    probing.health.put("b", Health.UP);
    elections.get(0).listener.acquired(epoch);
    awaitAppAt("192.0.2.1");
  }

  @Test
  void drainedLineMovesItsRecordsAtOnceAndClearingReturnsThemAsProbingContinued() throws Exception {
    leadWithAAndBUp();

    intents.putOverride(
        new LineOverride(
            "a",
            LineOverride.Forced.DOWN,
            "maintenance",
            "alice",
            CLOCK.instant(),
            Optional.empty()),
        Versioned.ABSENT,
        operatorEvent("override-set"));

    awaitAppAt("198.51.100.1");
    assertThat(node.lineStates().get("a").health()).isEqualTo(Health.DOWN);
    assertThat(node.probedLineStates().get("a").health()).isEqualTo(Health.UP);
    assertThat(
            new NodeStatus(config, node, store, () -> true, () -> true, CLOCK)
                .status().lines().stream().filter(l -> l.name().equals("a")).findFirst())
        .hasValueSatisfying(
            l -> {
              assertThat(l.health()).isEqualTo("down");
              assertThat(l.reason()).isEqualTo("forced down by alice until cleared: maintenance");
              assertThat(l.override())
                  .isEqualTo(
                      new ClusterStatus.Override(
                          "down", "alice", "maintenance", CLOCK.instant().toString(), null));
            });

    intents.removeOverride("a", 0, operatorEvent("override-cleared"));
    awaitAppAt("192.0.2.1");
  }

  @Test
  void logsALineTransitionWithTheLineAndEpochAsJsonFields() throws Exception {
    try (LogCapture logs = LogCapture.start()) {
      leadWithAAndBUp();
      long epoch = node.epoch();

      transition("a", "192.0.2.1", Health.UP, Health.DOWN);

      await()
          .until(
              () ->
                  logs.jsonLines().stream().anyMatch(l -> l.contains("line=a health up -> down")));
      ObjectMapper json = new ObjectMapper();
      JsonNode line =
          logs.jsonLines().stream()
              .filter(l -> l.contains("line=a health up -> down"))
              .map(
                  l -> {
                    try {
                      return json.readTree(l);
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .findFirst()
              .orElseThrow();
      assertThat(line.at("/mdc/line").asText()).isEqualTo("a");
      assertThat(line.at("/mdc/epoch").asLong()).isEqualTo(epoch);
    }
  }

  @Test
  void termInDoubtWritesNothingWhenALineFailsAndItsConfirmationCatchesUp() throws Exception {
    leadWithAAndBUp();
    long epoch = node.epoch();
    elections.get(0).listener.inDoubt(epoch);
    assertThat(node.isLeader()).isFalse();
    reconciled.clear();
    int batches = provider.appliedBatches().size();

    transition("a", "192.0.2.1", Health.UP, Health.DOWN);

    // Several retries of the deferred zone, none of them writing.
    await()
        .until(
            () ->
                reconciled.stream().filter(ReconcileResult.Deferred.class::isInstance).count()
                    >= 3);
    assertThat(provider.appliedBatches()).hasSize(batches);
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("192.0.2.1"));
    assertThat(node.epoch()).isEqualTo(epoch);

    elections.get(0).listener.confirmed(epoch);
    assertThat(node.isLeader()).isTrue();
    awaitAppAt("198.51.100.1");
  }

  @Test
  void pausedZoneIsNotWrittenWhenALineFailsAndResumeCatchesUpAtOnce() throws Exception {
    leadWithAAndBUp();
    intents.putPause(
        new ZonePause("example.com", "provider migration", "alice", CLOCK.instant()),
        Versioned.ABSENT,
        operatorEvent("zone-paused"));
    reconciled.clear();

    transition("a", "192.0.2.1", Health.UP, Health.DOWN);

    await().until(() -> reconciled.stream().anyMatch(ReconcileResult.Paused.class::isInstance));
    assertThat(provider.records().get(APP).addresses()).containsExactly(ip("192.0.2.1"));
    assertThat(
            new NodeStatus(config, node, store, () -> true, () -> true, CLOCK)
                .status().zones().stream().filter(z -> z.name().equals("example.com")).findFirst())
        .hasValueSatisfying(
            z ->
                assertThat(z.pause())
                    .isEqualTo(
                        new ClusterStatus.Pause(
                            "alice", "provider migration", CLOCK.instant().toString())));

    intents.removePause("example.com", 0, operatorEvent("zone-resumed"));
    awaitAppAt("198.51.100.1");
  }

  @Test
  void leaderAskedToStepDownLeavesTheElectionAndJoinsAgain() throws Exception {
    leadWithAAndBUp();
    long epoch = node.epoch();

    intents.requestStepDown(
        new StepDownRequest("r1", epoch, Optional.empty(), "alice", CLOCK.instant()),
        operatorEvent("step-down"));

    await().until(() -> elections.size() == 2);
    assertThat(node.isLeader()).isFalse();
    assertThat(elections.get(0).closed).isTrue();
    assertThat(elections.get(1).started).isTrue();
    assertThat(probing.started).isFalse();
  }

  private static final class FakeElection implements LeaderElection {
    final LeadershipListener listener;
    volatile boolean started;
    volatile boolean closed;

    FakeElection(LeadershipListener listener) {
      this.listener = listener;
    }

    @Override
    public void start() {
      started = true;
    }

    @Override
    public boolean isLeader() {
      return false;
    }

    @Override
    public long epoch() {
      return 0;
    }

    @Override
    public Optional<String> leaderId() {
      return Optional.empty();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static final class FakeProbing implements LineProbing {
    final Map<String, Health> health = new ConcurrentHashMap<>();
    volatile boolean started;
    volatile Map<String, Health> seed = Map.of();
    volatile Consumer<HealthTransition> sink;
    final Map<String, LineTarget> targets = new ConcurrentHashMap<>();
    volatile int updates;

    @Override
    public void start(
        List<LineTarget> targets, Map<String, Health> seed, Consumer<HealthTransition> sink) {
      this.seed = new HashMap<>(seed);
      this.sink = sink;
      targets.forEach(t -> this.targets.put(t.line(), t));
      started = true;
    }

    @Override
    public void update(List<LineTarget> targets) {
      if (started) {
        targets.forEach(t -> this.targets.put(t.line(), t));
        updates++;
      }
    }

    @Override
    public void stop() {
      started = false;
    }

    @Override
    public Map<String, Health> snapshot() {
      return started ? Map.copyOf(health) : Map.of();
    }

    @Override
    public void close() {
      stop();
    }
  }
}
