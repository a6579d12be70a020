package io.haddns.controller.provider.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.reconcile.LeaderTerm;
import io.haddns.controller.reconcile.ReconcileResult;
import io.haddns.controller.reconcile.ZoneReconciler;
import io.haddns.controller.reconcile.ZoneReconcilerSettings;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedDnsProviderTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-03-01T00:00:00Z"));
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);
  private static final RecordKey OTHER = new RecordKey("app.example.org", RecordType.A);

  private final InMemoryStateStore store = new InMemoryStateStore();
  private final EmbeddedDnsProvider provider = new EmbeddedDnsProvider("Example.COM.", store);

  private static RecordSet rs(RecordKey key, String... ips) throws Exception {
    List<InetAddress> list = new java.util.ArrayList<>();
    for (String ip : ips) {
      list.add(InetAddress.getByName(ip));
    }
    return new RecordSet(key, 60, list);
  }

  @Test
  void listsTheAppliedStateOfItsZoneOnly() throws Exception {
    long epoch = store.beginTerm("/latch");
    store.putApplied(
        epoch,
        List.of(
            new AppliedRecord(rs(APP, "192.0.2.1"), "example.com", epoch, CLOCK.instant()),
            new AppliedRecord(rs(OTHER, "192.0.2.2"), "example.org", epoch, CLOCK.instant())),
        List.of());

    assertThat(provider.zone()).isEqualTo("example.com");
    assertThat(provider.list()).containsExactly(rs(APP, "192.0.2.1"));
  }

  @Test
  void applyWritesNothingItself() throws Exception {
    long epoch = store.beginTerm("/latch");

    provider.apply(List.of(new Change.Create(rs(APP, "192.0.2.1"))), epoch);

    assertThat(store.applied()).isEmpty();
    assertThat(provider.fencesWrites()).isTrue();
  }

  @Test
  void refusesClaimAndApplyWithStaleEpoch() throws Exception {
    long old = store.beginTerm("/latch-1");
    store.beginTerm("/latch-2");

    assertThatThrownBy(() -> provider.claim(old))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("epoch " + old + " is stale");
    assertThatThrownBy(() -> provider.apply(List.of(), old)).isInstanceOf(FencedException.class);
  }

  @Test
  void acceptsEpochNewerThanTheViewHasSeen() throws Exception {
    long epoch = store.beginTerm("/latch");
    assertThat(store.currentEpoch()).isEqualTo(epoch);

    // This node's own beginTerm may not have reached the view yet: a newer epoch is not stale.
    assertThatCode(() -> provider.claim(epoch + 1)).doesNotThrowAnyException();
    assertThatCode(() -> provider.apply(List.of(), epoch + 1)).doesNotThrowAnyException();
    assertThatCode(() -> provider.claim(epoch)).doesNotThrowAnyException();
    assertThat(store.applied()).as("claim and apply write nothing").isEmpty();
    assertThatThrownBy(() -> provider.claim(epoch - 1)).isInstanceOf(FencedException.class);
  }

  @Test
  void reconcilerMakesRecordsVisibleThroughTheFencedStoreWrite() throws Exception {
    LeaderTerm term = new LeaderTerm();
    RecordConfig app = new RecordConfig(APP, 30, Policy.FAILOVER, List.of("a"), "example.com");
    Map<String, LineState> lines =
        Map.of("a", new LineState("a", Health.UP, List.of(InetAddress.getByName("192.0.2.7"))));
    ZoneReconciler reconciler =
        new ZoneReconciler(
            ZoneReconcilerSettings.builder("example.com", List.of(app))
                .provider(provider)
                .store(store)
                .lines(() -> lines)
                .term(term)
                .nodeId("node-1")
                .clock(CLOCK)
                .build());
    long stale = store.beginTerm("/latch-1");
    long epoch = store.beginTerm("/latch-2");
    term.begin(epoch);

    ReconcileResult r = reconciler.reconcile(epoch, true, Duration.ofMillis(100));

    assertThat(r).isInstanceOf(ReconcileResult.Applied.class);
    assertThat(provider.list()).containsExactly(new RecordSet(APP, 30, lines.get("a").addresses()));

    // A stale leader (its term object still believes in the old epoch) is stopped at the fence.
    LeaderTerm staleTerm = new LeaderTerm();
    staleTerm.begin(stale);
    ZoneReconciler staleReconciler =
        new ZoneReconciler(
            ZoneReconcilerSettings.builder("example.com", List.of())
                .provider(provider)
                .store(store)
                .lines(Map::of)
                .term(staleTerm)
                .nodeId("node-0")
                .clock(CLOCK)
                .build());
    assertThat(staleReconciler.reconcile(stale, false, Duration.ofMillis(100)))
        .isInstanceOf(ReconcileResult.NotLeader.class);
    assertThat(store.applied()).containsKey(APP);
  }
}
