package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.config.NotificationsConfig;
import io.haddns.controller.config.ReceiverConfig;
import io.haddns.controller.config.RouteConfig;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.Versioned;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox on a real ZooKeeper: notifications stored in the leader's fenced transactions and
 * delivered at least once, across receiver outages and a change of leader.
 */
class NotificationOutboxIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CLUSTER = "it";
  private final ZkPaths paths = new ZkPaths(CLUSTER);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final NotificationCodec codec = new NotificationCodec();
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  private TestingServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = ZkTestServers.server();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // Already closed by the test (a killed leader).
      }
    }
    server.close();
  }

  private <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  private static NotificationsConfig config(URI url, int maxAttempts, Duration groupInterval) {
    ReceiverConfig hook =
        new ReceiverConfig.Webhook("hook", url, Optional.empty(), Duration.ofSeconds(2));
    return new NotificationsConfig(
        List.of(hook),
        List.of(new RouteConfig(List.of("hook"), Set.of(), Severity.INFO, groupInterval)),
        maxAttempts,
        Duration.ofMillis(50),
        Duration.ofMillis(200),
        Duration.ofMillis(50),
        100);
  }

  private ZkClient client() {
    return track(ZkTestServers.client(server.getConnectString()));
  }

  private ZkStateStore store(ZkClient client, String node, NotificationsConfig config) {
    ZkStateStore store =
        new ZkStateStore(
            client,
            paths,
            node,
            Clock.systemUTC(),
            StoreSettings.defaults(),
            new NotificationEvents(
                CLUSTER,
                node,
                new Routes(config.routes()),
                Clock.systemUTC(),
                () -> UUID.randomUUID().toString()));
    store.start();
    track(store);
    assertThat(store.awaitPrimed(WAIT)).isTrue();
    return store;
  }

  private long beginTerm(ZkClient client, ZkStateStore store) throws Exception {
    String latch =
        client
            .curator()
            .create()
            .creatingParentsIfNeeded()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(paths.leader() + "/n-latch-");
    return store.beginTerm(latch);
  }

  private NotificationDispatcher dispatcher(
      NotificationsConfig config,
      ZkStateStore store,
      long epoch,
      String node,
      Function<Receiver, Receiver> wrap) {
    Map<String, Receiver> receivers = new HashMap<>();
    Receivers.of(config, CLUSTER, Clock.systemUTC())
        .forEach((name, r) -> receivers.put(name, wrap.apply(r)));
    NotificationDispatcher d =
        new NotificationDispatcher(
            config,
            receivers,
            store.outbox(),
            () -> epoch,
            CLUSTER,
            node,
            Clock.systemUTC(),
            (receiver, type, outcome, events, took) -> outcomes.add(outcome));
    track(d);
    return d;
  }

  private static void putHealth(ZkStateStore store, long epoch, String line, Health h)
      throws Exception {
    store.putHealth(
        epoch,
        new LineHealth(
            line,
            h,
            List.of(InetAddress.getByName("198.51.100.7")),
            Instant.now(),
            epoch,
            "probes"),
        new AuditEvent(Instant.now(), "n", "health", "line=" + line + " -> " + h.label()));
  }

  /** The event ids of every request the receiver got, in order (duplicates kept). */
  private List<String> receivedIds(ReceiverServer receiver) {
    List<String> ids = new ArrayList<>();
    for (ReceiverServer.Request r : receiver.requests()) {
      JsonNode body = codec.tree(r.body());
      body.path("events").forEach(e -> ids.add(e.path("id").asText()));
    }
    return ids;
  }

  private List<Notification> pending(ZkStateStore store) {
    return store.outbox().pending(100).stream()
        .map(e -> codec.decode(e.data()).notification())
        .toList();
  }

  @Test
  void storesAHealthTransitionAndItsNotificationInOneFencedTransaction() throws Exception {
    NotificationsConfig cfg = config(URI.create("http://127.0.0.1:9/"), 3, Duration.ZERO);
    ZkClient a = client();
    ZkStateStore storeA = store(a, "a", cfg);
    long epochA = beginTerm(a, storeA);
    putHealth(storeA, epochA, "isp-a", Health.DOWN);

    List<Notification> stored = pending(storeA);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).kind()).isEqualTo(EventKind.LINE_HEALTH);
    assertThat(stored.get(0).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(stored.get(0).epoch()).isEqualTo(epochA);
    assertThat(stored.get(0).details()).containsEntry("line", "isp-a").containsEntry("to", "down");

    ZkClient b = client();
    ZkStateStore storeB = store(b, "b", cfg);
    beginTerm(b, storeB);
    assertThatThrownBy(() -> putHealth(storeA, epochA, "isp-a", Health.UP))
        .isInstanceOf(NotLeaderException.class);
    assertThat(pending(storeB)).hasSize(1);
  }

  @Test
  void retriesAReceiverThatIsDownAndDeliversWhenItComesBack() throws Exception {
    int port = ZkTestServers.freePort();
    NotificationsConfig cfg =
        config(URI.create("http://127.0.0.1:" + port + "/hook"), 1000, Duration.ZERO);
    ZkClient a = client();
    ZkStateStore store = store(a, "a", cfg);
    long epoch = beginTerm(a, store);
    putHealth(store, epoch, "isp-a", Health.DOWN);
    String id = pending(store).get(0).id();
    dispatcher(cfg, store, epoch, "a", r -> r).start();

    await().atMost(WAIT).until(() -> outcomes.stream().filter("retried"::equals).count() >= 3);
    assertThat(pending(store)).extracting(Notification::id).containsExactly(id);
    ReceiverServer receiver = track(new ReceiverServer(port, ReceiverServer.Reply.of(200, "ok")));

    await().atMost(WAIT).until(() -> pending(store).isEmpty());
    assertThat(receivedIds(receiver)).containsExactly(id);
    assertThat(store.outbox().counts().deadLetters()).isZero();
  }

  @Test
  void honoursRetryAfterOn429() throws Exception {
    ReceiverServer receiver = track(ReceiverServer.ok());
    receiver.script(
        new ReceiverServer.Reply(429, "slow down", Map.of("Retry-After", "2"), 0),
        ReceiverServer.Reply.of(200, "ok"));
    NotificationsConfig cfg = config(receiver.url("/hook"), 10, Duration.ZERO);
    ZkClient a = client();
    ZkStateStore store = store(a, "a", cfg);
    long epoch = beginTerm(a, store);
    putHealth(store, epoch, "isp-a", Health.DOWN);
    dispatcher(cfg, store, epoch, "a", r -> r).start();

    await().atMost(WAIT).until(() -> pending(store).isEmpty());
    List<ReceiverServer.Request> got = receiver.requests();
    assertThat(got).hasSize(2);
    // The backoff alone would have retried after 50 ms.
    assertThat(Duration.between(got.get(0).at(), got.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    assertThat(outcomes).containsExactly("retried", "delivered");
  }

  /** A leader that has recorded one line down, its dispatcher started. */
  private NotificationDispatcher leaderWithOneLineDown(ReceiverServer receiver, int maxAttempts)
      throws Exception {
    NotificationsConfig cfg = config(receiver.url("/hook"), maxAttempts, Duration.ZERO);
    ZkClient a = client();
    ZkStateStore store = store(a, "a", cfg);
    long epoch = beginTerm(a, store);
    putHealth(store, epoch, "isp-a", Health.DOWN);
    NotificationDispatcher d = dispatcher(cfg, store, epoch, "a", r -> r);
    d.start();
    return d;
  }

  @Test
  void deadLettersA4xxAnswerAtOnceWithTheAnswer() throws Exception {
    ReceiverServer receiver = track(ReceiverServer.ok());
    receiver.answer(ReceiverServer.Reply.of(400, "unknown field 'events'"));
    NotificationDispatcher d = leaderWithOneLineDown(receiver, 10);

    await().atMost(WAIT).until(() -> d.status().deadLetters() == 1);
    assertThat(receiver.requests()).hasSize(1);
    assertThat(d.status().pending()).isZero();
    NotificationCodec.DeadLetter dead = d.status().recentDeadLetters().get(0);
    assertThat(dead.receiver()).isEqualTo("hook");
    assertThat(dead.reason()).isEqualTo("HTTP 400: unknown field 'events'");
    assertThat(dead.notification().details()).containsEntry("line", "isp-a");
  }

  @Test
  void deadLettersAfterTheAttemptLimit() throws Exception {
    ReceiverServer receiver = track(ReceiverServer.ok());
    receiver.answer(ReceiverServer.Reply.of(503, "maintenance"));
    NotificationDispatcher d = leaderWithOneLineDown(receiver, 3);

    await().atMost(WAIT).until(() -> d.status().deadLetters() == 1);
    assertThat(receiver.requests()).hasSize(3);
    assertThat(d.status().recentDeadLetters().get(0).reason())
        .isEqualTo("gave up after 3 attempts: HTTP 503: maintenance");
    assertThat(d.status().pending()).isZero();
  }

  @Test
  void aNewLeaderDeliversWhatAKilledLeaderLeftWithTheSameEventIds() throws Exception {
    ReceiverServer receiver = track(ReceiverServer.ok());
    NotificationsConfig cfg = config(receiver.url("/hook"), 10, Duration.ZERO);
    ZkClient a = client();
    ZkStateStore storeA = store(a, "a", cfg);
    long epochA = beginTerm(a, storeA);
    for (String line : List.of("isp-a", "isp-b", "isp-c")) {
      putHealth(storeA, epochA, line, Health.DOWN);
    }
    List<String> written = pending(storeA).stream().map(Notification::id).toList();
    assertThat(written).hasSize(3);

    // Leader a delivers its first message, then dies before it can record that: its session
    // ends, its latch node with it, and it sends nothing more.
    AtomicBoolean killed = new AtomicBoolean();
    dispatcher(
            cfg,
            storeA,
            epochA,
            "a",
            real ->
                new Receiver() {
                  @Override
                  public String name() {
                    return real.name();
                  }

                  @Override
                  public String type() {
                    return real.type();
                  }

                  @Override
                  public DeliveryResult deliver(List<Notification> batch) {
                    if (killed.get()) {
                      return new DeliveryResult.Retry("dead", Optional.empty());
                    }
                    DeliveryResult r = real.deliver(batch);
                    killed.set(true);
                    a.close();
                    return r;
                  }
                })
        .start();
    await().atMost(WAIT).untilTrue(killed);
    assertThat(receivedIds(receiver)).hasSize(1);

    ZkClient b = client();
    ZkStateStore storeB = store(b, "b", cfg);
    long epochB = beginTerm(b, storeB);
    assertThat(epochB).isGreaterThan(epochA);
    assertThat(pending(storeB)).extracting(Notification::id).containsExactlyElementsOf(written);
    dispatcher(cfg, storeB, epochB, "b", r -> r).start();

    await().atMost(WAIT).until(() -> pending(storeB).isEmpty());
    List<String> got = receivedIds(receiver);
    Map<String, Long> counts =
        got.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(written);
    long duplicates = got.size() - counts.size();
    assertThat(duplicates).isEqualTo(1);
    assertThat(counts.get(got.get(0))).isEqualTo(2);
  }

  @Test
  void groupsAFlappingLineIntoASummary() throws Exception {
    ReceiverServer receiver = track(ReceiverServer.ok());
    NotificationsConfig cfg = config(receiver.url("/hook"), 10, Duration.ofSeconds(1));
    ZkClient a = client();
    ZkStateStore store = store(a, "a", cfg);
    long epoch = beginTerm(a, store);
    for (int i = 0; i < 10; i++) {
      putHealth(store, epoch, "flappy", i % 2 == 0 ? Health.DOWN : Health.UP);
    }
    putHealth(store, epoch, "steady", Health.DOWN);
    assertThat(pending(store)).hasSize(11);
    dispatcher(cfg, store, epoch, "a", r -> r).start();

    await().atMost(WAIT).until(() -> pending(store).isEmpty());
    List<Integer> sizes = new ArrayList<>();
    for (ReceiverServer.Request r : receiver.requests()) {
      sizes.add(codec.tree(r.body()).path("events").size());
    }
    // flappy's first transition and steady's at once, flappy's nine others in one summary.
    assertThat(sizes).containsExactlyInAnyOrder(1, 1, 9);
    assertThat(receivedIds(receiver)).doesNotHaveDuplicates().hasSize(11);
  }

  /** A drill request written by an operator and seen by {@code store}'s cache; its version. */
  private static Versioned<Drill> requestDrill(
      ZkStateStore store, String id, DrillKind kind, Optional<String> line) throws Exception {
    Drill requested =
        Drill.requested(
            id,
            kind,
            line,
            Optional.empty(),
            Optional.empty(),
            Duration.ofSeconds(30),
            false,
            "alice",
            Instant.now());
    store.drills().start(requested, store.drills().drillsVersion(), null);
    await().atMost(WAIT).until(() -> store.drills().drills().containsKey(id));
    return store.drills().drills().get(id);
  }

  private static AuditEvent drillEnded(String detail) {
    return new AuditEvent(Instant.now(), "a", "drill-ended", detail);
  }

  @Test
  void aDrillsFinalReportStoresItsResultNotificationAndTheReceiverGetsIt() throws Exception {
    ReceiverServer receiver = track(ReceiverServer.ok());
    NotificationsConfig cfg = config(receiver.url("/hook"), 10, Duration.ZERO);
    ZkClient a = client();
    ZkStateStore store = store(a, "a", cfg);
    long epoch = beginTerm(a, store);
    Versioned<Drill> drill =
        requestDrill(store, "d-1", DrillKind.LINE_FAILURE, Optional.of("isp-a"));
    assertThat(pending(store)).as("a request is no result").isEmpty();

    store
        .drills()
        .advance(
            epoch,
            drill.value().ended(Instant.now()),
            drill.version(),
            drillEnded("drill=d-1 kind=line-failure line=isp-a verdict=failed rto=none"));

    assertThat(pending(store))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.kind()).isEqualTo(EventKind.DRILL_RESULT);
              assertThat(n.severity()).isEqualTo(Severity.WARNING);
              assertThat(n.epoch()).isEqualTo(epoch);
            });
    dispatcher(cfg, store, epoch, "a", r -> r).start();
    await().atMost(WAIT).until(() -> !receiver.requests().isEmpty());
    JsonNode event = codec.tree(receiver.requests().get(0).body()).path("events").get(0);
    assertThat(event.path("kind").asText()).isEqualTo("drill-result");
    assertThat(event.path("severity").asText()).isEqualTo("warning");
    assertThat(event.path("details").path("drill").asText()).isEqualTo("d-1");
  }

  @Test
  void aFencedOutDrillReportStoresNoResultNotification() throws Exception {
    NotificationsConfig cfg = config(URI.create("http://127.0.0.1:9/"), 3, Duration.ZERO);
    ZkClient a = client();
    ZkStateStore storeA = store(a, "a", cfg);
    long epochA = beginTerm(a, storeA);
    Versioned<Drill> drill =
        requestDrill(storeA, "d-2", DrillKind.LEADER_FAILOVER, Optional.empty());
    ZkClient b = client();
    ZkStateStore storeB = store(b, "b", cfg);
    beginTerm(b, storeB);

    assertThatThrownBy(
            () ->
                storeA
                    .drills()
                    .advance(
                        epochA,
                        drill.value().ended(Instant.now()),
                        drill.version(),
                        drillEnded("drill=d-2 kind=leader-failover verdict=passed rto=10ms")))
        .isInstanceOf(NotLeaderException.class);
    assertThat(pending(storeB)).isEmpty();
  }
}
