package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compare-and-set of line addresses under contention, two stores on one real ZooKeeper; and
 * their group commit ({@code AddressWrites}): many reporters' reports share one ZooKeeper
 * transaction, and what one of them does (a race, a corrupt node, a second report of the same
 * reporter) never costs the others their outcome.
 */
class LineAddressStoreIT {
  private static final ZkPaths PATHS = new ZkPaths("it");
  private TestingServer zk;
  private final List<ZkClient> clients = new ArrayList<>();
  private final List<ZkStateStore> stores = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zk = ZkTestServers.server();
    for (String node : List.of("a", "b")) {
      ZkClient c = ZkTestServers.client(zk.getConnectString());
      ZkStateStore s =
          new ZkStateStore(c, PATHS, node, InstantSource.system(), StoreSettings.defaults());
      s.start();
      clients.add(c);
      stores.add(s);
    }
  }

  @AfterEach
  void stop() throws Exception {
    stores.forEach(ZkStateStore::close);
    clients.forEach(ZkClient::close);
    zk.close();
  }

  private static AddressSubmission submission(String node, int i, OptionalLong sequence)
      throws Exception {
    return new AddressSubmission(
        "home",
        AddressFamily.IPV4,
        List.of(InetAddress.getByName("198.51.100." + (1 + i % 250))),
        Instant.now(),
        sequence,
        "router1",
        node);
  }

  @Test
  void serverAssignedSequencesLoseNoUpdateUnderContention() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger committed = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int n = i;
      ZkStateStore store = stores.get(i % 2);
      done.add(
          pool.submit(
              () -> {
                AddressCommit c =
                    store.putLineAddress(submission("n" + (n % 2), n, OptionalLong.empty()));
                assertThat(c).isInstanceOf(AddressCommit.Committed.class);
                committed.incrementAndGet();
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    assertThat(committed).hasValue(40);
    for (ZkStateStore s : stores) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          s.lineAddresses()
                              .get("home")
                              .report(AddressFamily.IPV4)
                              .orElseThrow()
                              .sequence())
                      .isEqualTo(40));
    }
  }

  @Test
  void refusesAnEqualOrLowerSequenceAndKeepsTheOtherFamily() throws Exception {
    ZkStateStore a = stores.get(0);
    ZkStateStore b = stores.get(1);
    a.putLineAddress(submission("a", 1, OptionalLong.of(10)));
    AddressSubmission v6 =
        new AddressSubmission(
            "home",
            AddressFamily.IPV6,
            List.of(InetAddress.getByName("2001:db8::1")),
            Instant.now(),
            OptionalLong.of(11),
            "router1",
            "b");
    assertThat(b.putLineAddress(v6)).isInstanceOf(AddressCommit.Committed.class);

    assertThat(b.putLineAddress(submission("b", 2, OptionalLong.of(11))))
        .isEqualTo(new AddressCommit.Stale(11));
    assertThat(a.putLineAddress(submission("a", 2, OptionalLong.of(9))))
        .isEqualTo(new AddressCommit.Stale(11));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(a.lineAddresses().get("home").addresses())
                    .extracting(InetAddress::getHostAddress)
                    .containsExactly("198.51.100.2", "2001:db8:0:0:0:0:0:1"));
  }

  @Test
  void retryOfTheLastCommittedReportIsAcknowledgedAgainAtAnyNode() throws Exception {
    AddressSubmission report = submission("a", 1, OptionalLong.of(10));
    AddressCommit first = stores.get(0).putLineAddress(report);
    assertThat(first).isInstanceOf(AddressCommit.Committed.class);

    // The answer was lost; the reporter sends the same report to the other node.
    AddressCommit retry = stores.get(1).putLineAddress(report);

    assertThat(retry)
        .isEqualTo(new AddressCommit.Committed(((AddressCommit.Committed) first).report(), false));
    assertThat(stores.get(1).putLineAddress(submission("b", 2, OptionalLong.of(10))))
        .as("same sequence, other addresses: a replay, not a retry")
        .isEqualTo(new AddressCommit.Stale(10));
  }

  private static AddressSubmission report(
      String agent, String address, long sequence, Instant observedAt, String node)
      throws Exception {
    return new AddressSubmission(
        "home",
        AddressFamily.IPV4,
        List.of(InetAddress.getByName(address)),
        observedAt,
        OptionalLong.of(sequence),
        agent,
        node);
  }

  private int addressVersion() throws Exception {
    return clients
        .get(0)
        .curator()
        .checkExists()
        .forPath("/haddns/it/lines/home/address")
        .getVersion();
  }

  @Test
  void confirmationCommitsOnlyTheSequenceAndItsReplayIsRefusedAtTheOtherNode() throws Exception {
    Instant t = Instant.now();
    stores.get(0).putLineAddress(report("router1", "198.51.100.7", 10, t, "a"));
    int version = addressVersion();

    AddressSubmission confirmation = report("router1", "198.51.100.7", 11, t.plusSeconds(60), "a");
    AddressCommit confirmed = stores.get(0).putLineAddress(confirmation);

    assertThat(confirmed).isInstanceOf(AddressCommit.Committed.class);
    assertThat(((AddressCommit.Committed) confirmed).changed()).isFalse();
    assertThat(addressVersion()).as("the line's address node is not rewritten").isEqualTo(version);
    // The other node never saw either report: it decides on what ZooKeeper holds.
    assertThat(stores.get(1).putLineAddress(report("router1", "198.51.100.7", 11, t, "b")))
        .as("the confirmed sequence again, another observation: a replay")
        .isEqualTo(new AddressCommit.Stale(11));
    assertThat(stores.get(1).putLineAddress(report("router1", "198.51.100.7", 10, t, "b")))
        .isEqualTo(new AddressCommit.Stale(11));
    assertThat(stores.get(1).putLineAddress(confirmation))
        .as("the confirmation itself, retried: acknowledged again")
        .isEqualTo(
            new AddressCommit.Committed(((AddressCommit.Committed) confirmed).report(), false));
  }

  @Test
  void confirmationDecidedOnAnOutdatedLineIsDecidedAgainAndRewritesTheLine() throws Exception {
    Instant t = Instant.now();
    stores.get(0).putLineAddress(report("router1", "198.51.100.7", 1, t, "a"));
    // Another reporter moves the line through the other node; node a still remembers .7.
    stores.get(1).putLineAddress(report("router2", "198.51.100.8", 1, t, "b"));

    AddressCommit c = stores.get(0).putLineAddress(report("router1", "198.51.100.7", 2, t, "a"));

    assertThat(c).isInstanceOf(AddressCommit.Committed.class);
    assertThat(((AddressCommit.Committed) c).changed()).isTrue();
    byte[] data = clients.get(0).curator().getData().forPath("/haddns/it/lines/home/address");
    LineAddressReport stored =
        new StoreCodec().decodeAddress(data).report(AddressFamily.IPV4).orElseThrow();
    assertThat(stored.addresses())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("198.51.100.7");
    assertThat(stored.sequence()).isEqualTo(2);
  }

  @Test
  void rememberedVersionsOutdatedByTheOtherNodeNeitherRefuseNorReorder() throws Exception {
    Instant t = Instant.now();
    assertThat(stores.get(0).putLineAddress(report("router1", "198.51.100.7", 5, t, "a")))
        .isInstanceOf(AddressCommit.Committed.class);
    assertThat(stores.get(1).putLineAddress(report("router1", "198.51.100.7", 6, t, "b")))
        .isInstanceOf(AddressCommit.Committed.class);

    assertThat(stores.get(0).putLineAddress(report("router1", "198.51.100.9", 7, t, "a")))
        .isInstanceOf(AddressCommit.Committed.class);
    assertThat(stores.get(1).putLineAddress(report("router1", "198.51.100.7", 6, t, "b")))
        .isEqualTo(new AddressCommit.Stale(7));
    assertThat(stores.get(0).putLineAddress(report("router1", "198.51.100.7", 6, t, "a")))
        .isEqualTo(new AddressCommit.Stale(7));
  }

  private static AddressSubmission reportOn(
      String agent, String line, String address, long sequence, Instant at, String node)
      throws Exception {
    return new AddressSubmission(
        line,
        AddressFamily.IPV4,
        List.of(InetAddress.getByName(address)),
        at,
        OptionalLong.of(sequence),
        agent,
        node);
  }

  private static String agent(int i) {
    return String.format("agent%03d", i);
  }

  private static String line(int i) {
    return String.format("line%03d", i);
  }

  private static String address(int i) {
    return "198.51.100." + (1 + i);
  }

  private CuratorFramework curator() {
    return clients.get(0).curator();
  }

  /** The zxid a new write gets now: the difference of two is the transactions in between, + 1. */
  private long nextZxid() throws Exception {
    String p =
        curator()
            .create()
            .creatingParentsIfNeeded()
            .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
            .forPath("/zxid-probe/p-");
    return curator().checkExists().forPath(p).getCzxid();
  }

  private long storedSequence(String agent) throws Exception {
    return new StoreCodec().decodeAgent(curator().getData().forPath(PATHS.agent(agent))).sequence();
  }

  /**
   * Submits one report of each of {@code reporters} reporters (reporter i on line i) to node {@code
   * node} ("a" or "b"), with {@code address.apply(i)}, without waiting.
   */
  private List<CompletableFuture<AddressCommit>> wave(
      String node, int reporters, long sequence, Instant t, IntFunction<String> address)
      throws Exception {
    ZkStateStore store = stores.get(node.equals("a") ? 0 : 1);
    List<CompletableFuture<AddressCommit>> futures = new ArrayList<>();
    for (int i = 0; i < reporters; i++) {
      futures.add(
          store.submitLineAddress(
              reportOn(agent(i), line(i), address.apply(i), sequence, t, node)));
    }
    return futures;
  }

  private static List<AddressCommit> all(List<CompletableFuture<AddressCommit>> futures) {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
    return futures.stream().map(f -> f.getNow(null)).toList();
  }

  @Test
  void reportsOfManyReportersCommitInFarFewerTransactionsThanReports() throws Exception {
    Instant t = Instant.now();
    int reporters = 200;
    List<CompletableFuture<AddressCommit>> first =
        wave("a", reporters, 1, t, LineAddressStoreIT::address);
    assertThat(all(first)).allMatch(c -> c instanceof AddressCommit.Committed);

    long before = nextZxid();
    List<CompletableFuture<AddressCommit>> confirmations =
        wave("a", reporters, 2, t, LineAddressStoreIT::address);
    List<AddressCommit> outcomes = all(confirmations);
    long transactions = nextZxid() - before - 1;

    assertThat(outcomes)
        .allSatisfy(
            c -> {
              assertThat(c).isInstanceOf(AddressCommit.Committed.class);
              assertThat(((AddressCommit.Committed) c).changed()).isFalse();
            });
    for (int i = 0; i < reporters; i++) {
      assertThat(storedSequence(agent(i))).as(agent(i)).isEqualTo(2);
    }
    assertThat(transactions)
        .as("ZooKeeper transactions for %d confirmations", reporters)
        .isBetween(1L, (long) reporters / 4);
  }

  @Test
  void aRaceWithAnotherNodeCostsOnlyTheRacingReportARetryAndLosesNothing() throws Exception {
    Instant t = Instant.now();
    for (int i = 0; i < 10; i++) {
      stores.get(0).putLineAddress(reportOn(agent(i), line(i), address(i), 1, t, "a"));
    }
    // Node b moves line 5 and commits agent 5's sequence 2: node a's remembered versions of both
    // are outdated, the others are not.
    assertThat(stores.get(1).putLineAddress(reportOn(agent(5), line(5), "203.0.113.5", 2, t, "b")))
        .isInstanceOf(AddressCommit.Committed.class);

    List<CompletableFuture<AddressCommit>> wave = wave("a", 10, 3, t, LineAddressStoreIT::address);

    assertThat(all(wave)).allMatch(c -> c instanceof AddressCommit.Committed);
    AddressCommit.Committed raced = (AddressCommit.Committed) wave.get(5).join();
    assertThat(raced.changed()).as("decided again on b's address: a change back").isTrue();
    for (int i = 0; i < 10; i++) {
      assertThat(storedSequence(agent(i))).isEqualTo(3);
      LineAddressReport stored =
          new StoreCodec()
              .decodeAddress(curator().getData().forPath(PATHS.lineAddress(line(i))))
              .report(AddressFamily.IPV4)
              .orElseThrow();
      assertThat(stored.addresses())
          .extracting(InetAddress::getHostAddress)
          .containsExactly(address(i));
    }
  }

  @Test
  void manyRememberedVersionsOutdatedAtOnceAreReadAgainTogetherNotOneTransactionEach()
      throws Exception {
    Instant t = Instant.now();
    int reporters = 60;
    List<CompletableFuture<AddressCommit>> first =
        wave("a", reporters, 1, t, LineAddressStoreIT::address);
    assertThat(all(first)).allMatch(c -> c instanceof AddressCommit.Committed);
    // Node b commits every reporter's sequence 2: all of node a's remembered versions are outdated.
    List<CompletableFuture<AddressCommit>> moved = wave("b", reporters, 2, t, i -> "203.0.113.9");
    assertThat(all(moved)).allMatch(c -> c instanceof AddressCommit.Committed);

    long before = nextZxid();
    List<CompletableFuture<AddressCommit>> wave =
        wave("a", reporters, 3, t, LineAddressStoreIT::address);
    List<AddressCommit> outcomes = all(wave);
    long transactions = nextZxid() - before - 1;

    assertThat(outcomes).allMatch(c -> c instanceof AddressCommit.Committed);
    for (int i = 0; i < reporters; i++) {
      assertThat(storedSequence(agent(i))).as(agent(i)).isEqualTo(3);
    }
    assertThat(transactions)
        .as("transactions, failed ones included, for %d outdated reporters", reporters)
        .isLessThanOrEqualTo(12);
  }

  @Test
  void twoReportsOfOneReporterSubmittedTogetherAreCommittedInSequenceOrder() throws Exception {
    Instant t = Instant.now();
    stores.get(0).putLineAddress(reportOn("router", "west", "198.51.100.1", 1, t, "a"));
    stores.get(0).putLineAddress(reportOn("router", "east", "198.51.100.2", 2, t, "a"));

    CompletableFuture<AddressCommit> west =
        stores.get(0).submitLineAddress(reportOn("router", "west", "198.51.100.3", 3, t, "a"));
    CompletableFuture<AddressCommit> east =
        stores.get(0).submitLineAddress(reportOn("router", "east", "198.51.100.4", 4, t, "a"));
    CompletableFuture<AddressCommit> late =
        stores.get(0).submitLineAddress(reportOn("router", "west", "198.51.100.5", 4, t, "a"));

    assertThat(west.get(10, TimeUnit.SECONDS)).isInstanceOf(AddressCommit.Committed.class);
    assertThat(east.get(10, TimeUnit.SECONDS)).isInstanceOf(AddressCommit.Committed.class);
    assertThat(late.get(10, TimeUnit.SECONDS))
        .as("the same sequence on another line, after 4 committed")
        .isEqualTo(new AddressCommit.Stale(4));
    assertThat(storedSequence("router")).isEqualTo(4);
  }

  @Test
  void aReportWaitingForItsLineKeepsTheLaterReportOfItsReporterBehindIt() throws Exception {
    Instant t = Instant.now();
    // Keeps the commit thread busy, so that the three reports below meet in one round.
    List<CompletableFuture<AddressCommit>> busy = wave("a", 50, 1, t, LineAddressStoreIT::address);
    CompletableFuture<AddressCommit> other =
        stores.get(0).submitLineAddress(reportOn("other", "west", "198.51.100.1", 1, t, "a"));
    CompletableFuture<AddressCommit> earlier =
        stores.get(0).submitLineAddress(reportOn("router", "west", "198.51.100.2", 5, t, "a"));
    CompletableFuture<AddressCommit> later =
        stores.get(0).submitLineAddress(reportOn("router", "east", "198.51.100.3", 6, t, "a"));

    assertThat(all(busy)).allMatch(c -> c instanceof AddressCommit.Committed);
    assertThat(other.get(10, TimeUnit.SECONDS)).isInstanceOf(AddressCommit.Committed.class);
    assertThat(earlier.get(10, TimeUnit.SECONDS))
        .as("sequence 5 waits for line west, and sequence 6 waits for it")
        .isInstanceOf(AddressCommit.Committed.class);
    assertThat(later.get(10, TimeUnit.SECONDS)).isInstanceOf(AddressCommit.Committed.class);
    assertThat(storedSequence("router")).isEqualTo(6);
  }

  @Test
  void aCorruptReporterNodeFailsOnlyItsOwnReport() throws Exception {
    Instant t = Instant.now();
    curator()
        .create()
        .creatingParentsIfNeeded()
        .forPath(PATHS.agent("broken"), "not json".getBytes(StandardCharsets.UTF_8));

    CompletableFuture<AddressCommit> bad =
        stores.get(0).submitLineAddress(reportOn("broken", "west", "198.51.100.1", 1, t, "a"));
    CompletableFuture<AddressCommit> good =
        stores.get(0).submitLineAddress(reportOn("fine", "east", "198.51.100.2", 1, t, "a"));

    assertThat(good.get(10, TimeUnit.SECONDS)).isInstanceOf(AddressCommit.Committed.class);
    assertThat(bad)
        .failsWithin(10, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class);
    assertThat(storedSequence("fine")).isEqualTo(1);
  }

  @Test
  void aReporterNodeThisSessionMayNotReadFailsOnlyItsOwnReport() throws Exception {
    Instant t = Instant.now();
    curator().create().creatingParentsIfNeeded().forPath(PATHS.agent("locked"), new byte[0]);
    curator()
        .setACL()
        .withACL(
            List.of(
                new ACL(ZooDefs.Perms.ALL, new Id("digest", "other:AAAAAAAAAAAAAAAAAAAAAAAAAAA="))))
        .forPath(PATHS.agent("locked"));
    List<CompletableFuture<AddressCommit>> busy = wave("a", 50, 1, t, LineAddressStoreIT::address);
    CompletableFuture<AddressCommit> locked =
        stores.get(0).submitLineAddress(reportOn("locked", "west", "198.51.100.1", 1, t, "a"));
    CompletableFuture<AddressCommit> fine =
        stores.get(0).submitLineAddress(reportOn("fine", "east", "198.51.100.2", 1, t, "a"));

    assertThat(all(busy)).allMatch(c -> c instanceof AddressCommit.Committed);
    assertThat(fine.get(10, TimeUnit.SECONDS)).isInstanceOf(AddressCommit.Committed.class);
    assertThat(locked)
        .failsWithin(10, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(StoreUnavailableException.class)
        .withMessageContaining("NOAUTH");
  }

  @Test
  void aReporterContendedWithoutEndFailsAloneNotTheReportsCommittedWithIt() throws Exception {
    Instant t = Instant.now();
    stores.get(0).putLineAddress(reportOn("hot", "west", "198.51.100.1", 1, t, "a"));
    byte[] data = curator().getData().forPath(PATHS.agent("hot"));
    ZkClient rivalClient = ZkTestServers.client(zk.getConnectString());
    clients.add(rivalClient);
    CuratorFramework rival = rivalClient.curator();
    AtomicInteger rewrites = new AtomicInteger();
    // Another session rewrites the reporter's node after every read of it and before every
    // transaction that holds its report: each such transaction fails on it, every time.
    AddressWrites writes =
        new AddressWrites(
            curator(),
            PATHS,
            new StoreCodec(),
            new ZkCall(Duration.ofSeconds(10)),
            InstantSource.system(),
            StoreSettings.defaults(),
            () -> {},
            () -> {},
            reporters -> {
              if (reporters.contains("hot")) {
                try {
                  rival.setData().forPath(PATHS.agent("hot"), data);
                  rewrites.incrementAndGet();
                } catch (Exception e) {
                  throw new IllegalStateException("rival rewrite failed", e);
                }
              }
            });
    try (AddressWrites w = writes) {
      CompletableFuture<AddressCommit> hot =
          writes.submit(reportOn("hot", "west", "198.51.100.9", 2, t, "a"));
      List<CompletableFuture<AddressCommit>> others = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        others.add(writes.submit(reportOn(agent(i), line(i), address(i), 1, t, "a")));
      }

      assertThat(all(others)).allMatch(c -> c instanceof AddressCommit.Committed);
      assertThat(hot)
          .failsWithin(30, TimeUnit.SECONDS)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(StoreUnavailableException.class)
          .withMessageContaining("line=west: contended over 20 attempts");
    }
    assertThat(rewrites.get()).isEqualTo(20);
    assertThat(storedSequence("hot")).as("nothing of the failed report was written").isEqualTo(1);
    for (int i = 0; i < 20; i++) {
      assertThat(storedSequence(agent(i))).as(agent(i)).isEqualTo(1);
    }
  }

  @Test
  void aDeletedReportersParentIsCreatedAgainAndTheReportCommits() throws Exception {
    Instant t = Instant.now();
    assertThat(stores.get(0).putLineAddress(reportOn("router", "west", "198.51.100.1", 1, t, "a")))
        .isInstanceOf(AddressCommit.Committed.class);
    curator().delete().deletingChildrenIfNeeded().forPath(PATHS.agents());

    assertThat(stores.get(0).putLineAddress(reportOn("router", "west", "198.51.100.1", 2, t, "a")))
        .isInstanceOf(AddressCommit.Committed.class);
    assertThat(storedSequence("router")).isEqualTo(2);
  }

  @Test
  void aClosedStoreAnswersUnavailableAtOnce() throws Exception {
    stores.get(1).close();

    CompletableFuture<AddressCommit> f =
        stores
            .get(1)
            .submitLineAddress(reportOn("router", "west", "198.51.100.1", 1, Instant.now(), "b"));

    assertThat(f).isCompletedExceptionally();
    assertThat(f.handle((c, e) -> e instanceof CompletionException ce ? ce.getCause() : e).join())
        .isInstanceOf(StoreUnavailableException.class);
  }
}
