package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZkIntentStoreIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
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

  private ZkClient client(ZkAccess access) {
    ZkClient c =
        new ZkClient(
            server.getConnectString(), ZkTestServers.SESSION, ZkTestServers.CONNECT, access);
    c.start();
    closeables.add(c);
    return c;
  }

  private ZkStateStore store(ZkClient client, String node) {
    ZkStateStore store =
        new ZkStateStore(client, paths, node, Clock.systemUTC(), StoreSettings.defaults());
    store.start();
    closeables.add(store);
    assertThat(store.awaitPrimed(WAIT)).isTrue();
    return store;
  }

  private static LineOverride drain(String line, String by) {
    return new LineOverride(
        line, LineOverride.Forced.DOWN, "maintenance", by, Instant.now(), Optional.empty());
  }

  private static AuditEvent event(String kind, String detail) {
    return new AuditEvent(Instant.now(), "n1", kind, detail);
  }

  @Test
  void anyNodeWritesAnOverrideThatEveryNodeSeesWithItsAuditEventInOneTransaction()
      throws Exception {
    ZkAccess access = ZkAccess.digest("haddns", "intent-secret");
    ZkClient c = client(access);
    ZkStateStore follower = store(c, "n1");
    ZkStateStore other = store(client(access), "n2");
    AtomicInteger told = new AtomicInteger();
    other.intents().addIntentListener(told::incrementAndGet, Runnable::run);

    follower
        .intents()
        .putOverride(drain("a", "alice"), Versioned.ABSENT, event("override-set", "line=a"));

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(other.intents().overrides()).containsKey("a"));
    assertThat(other.intents().overrides().get("a").value().by()).isEqualTo("alice");
    assertThat(told).hasPositiveValue();
    assertThat(follower.recentAudit(10))
        .extracting(AuditEvent::type)
        .containsExactly("override-set");
    // Created through the client's ACL provider: nothing for anyone else.
    List<ACL> acl = c.curator().getACL().forPath(paths.override("a"));
    assertThat(acl).noneMatch(a -> a.getId().equals(ZooDefs.Ids.ANYONE_ID_UNSAFE));
  }

  @Test
  void aNodeSeesItsOwnIntentWritesAsSoonAsTheCallReturns() throws Exception {
    ZkStateStore store = store(client(ZkAccess.open()), "n1");
    IntentStore intents = store.intents();

    // Each call is based on the version the previous one left in this node's view, at once: two
    // quick changes from one operator are not a conflict with themselves.
    intents.putOverride(drain("a", "alice"), Versioned.ABSENT, event("override-set", "1"));
    assertThat(intents.overrides().get("a").version()).isZero();
    intents.putOverride(drain("a", "bob"), 0, event("override-set", "2"));
    assertThat(intents.overrides().get("a").value().by()).isEqualTo("bob");
    intents.removeOverride("a", 1, event("override-cleared", "3"));
    assertThat(intents.overrides()).doesNotContainKey("a");

    intents.putPause(
        new ZonePause("example.com", "x", "bob", Instant.now()),
        Versioned.ABSENT,
        event("zone-paused", "4"));
    assertThat(intents.pauses().get("example.com").version()).isZero();
    intents.removePause("example.com", 0, event("zone-resumed", "5"));
    assertThat(intents.pauses()).isEmpty();
  }

  @Test
  void staleVersionIsAConflictAndWritesNeitherTheIntentNorItsAuditEvent() throws Exception {
    ZkStateStore store = store(client(ZkAccess.open()), "n1");
    store.intents().putOverride(drain("a", "alice"), Versioned.ABSENT, event("override-set", "1"));

    assertThatThrownBy(
            () ->
                store
                    .intents()
                    .putOverride(drain("a", "bob"), Versioned.ABSENT, event("override-set", "2")))
        .isInstanceOf(IntentConflictException.class);
    assertThatThrownBy(() -> store.intents().removeOverride("a", 7, event("override-cleared", "3")))
        .isInstanceOf(IntentConflictException.class);
    assertThatThrownBy(
            () ->
                store
                    .intents()
                    .putPause(
                        new ZonePause("example.com", "x", "bob", Instant.now()),
                        3,
                        event("zone-paused", "4")))
        .isInstanceOf(IntentConflictException.class);

    await().atMost(WAIT).until(() -> store.intents().overrides().containsKey("a"));
    assertThat(store.intents().overrides().get("a").value().by()).isEqualTo("alice");
    assertThat(store.intents().pauses()).isEmpty();
    assertThat(store.recentAudit(10)).extracting(AuditEvent::detail).containsExactly("1");
  }

  @Test
  void expiryIsFencedByTheLeadersEpoch() throws Exception {
    ZkClient c = client(ZkAccess.open());
    ZkStateStore store = store(c, "n1");
    String latch =
        c.curator()
            .create()
            .creatingParentsIfNeeded()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(paths.leader() + "/n-latch-");
    long old = store.beginTerm(latch);
    long current = store.beginTerm(latch);
    store.intents().putOverride(drain("a", "alice"), Versioned.ABSENT, event("override-set", ""));

    assertThatThrownBy(
            () -> store.intents().expireOverride(old, "a", 0, event("override-expired", "stale")))
        .isInstanceOf(NotLeaderException.class);
    assertThatThrownBy(
            () -> store.intents().expireOverride(current, "a", 5, event("override-expired", "old")))
        .isInstanceOf(IntentConflictException.class);
    store.intents().expireOverride(current, "a", 0, event("override-expired", "ok"));

    await().atMost(WAIT).until(() -> store.intents().overrides().isEmpty());
    assertThat(store.recentAudit(10))
        .extracting(AuditEvent::type)
        .containsExactly("override-set", "override-expired");
  }

  @Test
  void stepDownRequestIsReplacedByANewerOneAndClearedOnlyByItsOwnId() throws Exception {
    ZkStateStore store = store(client(ZkAccess.open()), "n1");
    store
        .intents()
        .requestStepDown(
            new StepDownRequest("r1", 3, Optional.empty(), "alice", Instant.now()),
            event("step-down", "r1"));
    store
        .intents()
        .requestStepDown(
            new StepDownRequest("r2", 3, Optional.of("n2"), "bob", Instant.now()),
            event("step-down", "r2"));
    await()
        .atMost(WAIT)
        .until(() -> store.intents().stepDown().map(StepDownRequest::id).equals(Optional.of("r2")));
    assertThat(store.intents().stepDown().orElseThrow().to()).contains("n2");

    store.intents().clearStepDown("r1");
    assertThat(store.intents().stepDown()).isPresent();
    store.intents().clearStepDown("r2");

    await().atMost(WAIT).until(() -> store.intents().stepDown().isEmpty());
  }
}
