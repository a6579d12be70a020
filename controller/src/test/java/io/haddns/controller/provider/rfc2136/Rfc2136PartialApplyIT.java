package io.haddns.controller.provider.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.provider.PermanentProviderException;
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
import io.haddns.controller.testing.BindServer;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * A batch of several UPDATE messages against real BIND whose later message is refused (the key's
 * update policy denies one name): the earlier message stays applied at the server, and the applied
 * state in ZooKeeper shows it at once, not only after the next resync.
 */
class Rfc2136PartialApplyIT {
  private static final String ZONE = "partial.test";
  private static final String LINE = "192.0.2.44";

  @TempDir Path dir;
  private BindServer bind;
  private TestingServer zk;
  private ZkClient client;
  private ZkStateStore store;
  private Rfc2136DnsProvider provider;

  @BeforeEach
  void setUp() throws Exception {
    bind = BindServer.start(dir.resolve("bind"), ZONE);
    zk = ZkTestServers.server();
    client = ZkTestServers.client(zk.getConnectString());
    store =
        new ZkStateStore(
            client, new ZkPaths("it"), "n1", InstantSource.system(), StoreSettings.defaults());
    store.start();
    assertThat(store.awaitPrimed(Duration.ofSeconds(10))).isTrue();
    // Two RRsets per message: the third record goes out in a second message.
    provider =
        new Rfc2136DnsProvider(
            ZONE,
            bind.rfc2136(Optional.of(bind.tsigConfig()), 2),
            Optional.empty(),
            InstantSource.system());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {provider, store, client, zk, bind}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static RecordKey key(String name) {
    return new RecordKey(name, RecordType.A);
  }

  @Test
  void refusedLaterMessageNamesHowManyWereAppliedAndTheEarlierOneStaysAtTheServer()
      throws Exception {
    provider.claim(1);
    RecordSet one = new RecordSet(key("a1." + ZONE), 30, List.of(InetAddress.getByName(LINE)));
    RecordSet two = new RecordSet(key("a2." + ZONE), 30, List.of(InetAddress.getByName(LINE)));
    RecordSet refused =
        new RecordSet(key(BindServer.refusedName(ZONE)), 30, List.of(InetAddress.getByName(LINE)));

    assertThatThrownBy(
            () ->
                provider.apply(
                    List.of(
                        new Change.Create(one), new Change.Create(two), new Change.Create(refused)),
                    1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("zone " + ZONE)
        .hasMessageContaining("REFUSED")
        .hasMessageContaining("after 1 of 2 messages were applied");

    assertThat(addresses("a1." + ZONE)).containsExactly(LINE);
    assertThat(addresses("a2." + ZONE)).containsExactly(LINE);
    assertThat(addresses(BindServer.refusedName(ZONE))).isEmpty();
  }

  @Test
  void reconcilerRecordsWhatTheServerHoldsRightAfterAPartialFailure() throws Exception {
    LeaderTerm term = new LeaderTerm();
    String latch =
        client
            .curator()
            .create()
            .creatingParentsIfNeeded()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(new ZkPaths("it").leader() + "/n-latch-");
    long epoch = store.beginTerm(latch);
    term.begin(epoch);
    List<RecordConfig> records =
        List.of(
            new RecordConfig(key("a1." + ZONE), 30, Policy.FAILOVER, List.of("a"), ZONE),
            new RecordConfig(key("a2." + ZONE), 30, Policy.FAILOVER, List.of("a"), ZONE),
            new RecordConfig(
                key(BindServer.refusedName(ZONE)), 30, Policy.FAILOVER, List.of("a"), ZONE));
    Map<String, LineState> lines =
        Map.of("a", new LineState("a", Health.UP, List.of(InetAddress.getByName(LINE))));
    ZoneReconciler reconciler =
        new ZoneReconciler(
            ZoneReconcilerSettings.builder(ZONE, records)
                .provider(provider)
                .store(store)
                .lines(() -> lines)
                .term(term)
                .nodeId("n1")
                .clock(InstantSource.system())
                .build());

    ReconcileResult result = reconciler.reconcile(epoch, false, Duration.ofMillis(200));

    assertThat(result).isInstanceOf(ReconcileResult.Failed.class);
    assertThat(addresses(BindServer.refusedName(ZONE))).isEmpty();
    List<String> atServer =
        List.of("a1." + ZONE, "a2." + ZONE).stream()
            .filter(name -> !addresses(name).isEmpty())
            .toList();
    assertThat(atServer).as("the first message's records, applied at BIND").hasSize(2);
    // No resync ran: the applied state already shows what BIND holds, and nothing else.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(store.applied().keySet())
                    .containsExactlyInAnyOrder(key("a1." + ZONE), key("a2." + ZONE)));
    AppliedRecord recorded = store.applied().get(key("a1." + ZONE));
    assertThat(recorded.epoch()).isEqualTo(epoch);
    assertThat(recorded.record().addresses()).containsExactly(InetAddress.getByName(LINE));
  }

  private List<String> addresses(String name) {
    try {
      return bind.query(name, Type.A).stream()
          .filter(r -> r instanceof ARecord)
          .map(r -> ((ARecord) r).getAddress().getHostAddress())
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
