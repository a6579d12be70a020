package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compare-and-set of line addresses under contention, two stores on one real ZooKeeper. */
class LineAddressStoreIT {
  private TestingServer zk;
  private final List<ZkClient> clients = new ArrayList<>();
  private final List<ZkStateStore> stores = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zk = ZkTestServers.server();
    for (String node : List.of("a", "b")) {
      ZkClient c = ZkTestServers.client(zk.getConnectString());
      ZkStateStore s =
          new ZkStateStore(
              c, new ZkPaths("it"), node, InstantSource.system(), StoreSettings.defaults());
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
}
