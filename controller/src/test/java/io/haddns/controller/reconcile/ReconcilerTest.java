package io.haddns.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.testing.InMemoryDnsProvider;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.controller.testing.SettableClock;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private static final Duration RESYNC = Duration.ofHours(1);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduling scheduling = new ManualScheduling(clock);
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final LeaderTerm term = new LeaderTerm();
  private final Map<String, LineState> lines = new ConcurrentHashMap<>();
  private final List<String> termLost = new CopyOnWriteArrayList<>();
  private final List<Integer> retryStates = new CopyOnWriteArrayList<>();
  private final List<String> reconciled = new CopyOnWriteArrayList<>();
  private final ReconcileObserver observer =
      new ReconcileObserver() {
        @Override
        public void reconciled(String zone, String trigger, ReconcileResult result) {
          reconciled.add(trigger + ": " + result);
        }

        @Override
        public void retryState(String zone, int failedAttempts) {
          retryStates.add(failedAttempts);
        }
      };
  private final List<Reconciler> started = new ArrayList<>();
  private long epoch;

  @BeforeEach
  void lines() throws Exception {
    lines.put("a", new LineState("a", Health.UP, List.of(ip("192.0.2.1"))));
    lines.put("b", new LineState("b", Health.UP, List.of(ip("198.51.100.1"))));
    epoch = store.beginTerm("/latch");
    term.begin(epoch);
  }

  @AfterEach
  void close() {
    started.forEach(Reconciler::close);
  }

  @Test
  void aTriggerDuringTheBackendsRetryAfterWaitRunsTheZoneOnlyWhenTheWaitIsOver() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = applied(p);

    p.memory.failNext(
        new TransientProviderException("HTTP 429", null, Optional.of(Duration.ofSeconds(10))));
    Instant throttledAt = clock.instant();
    lineDown("a");
    r.trigger("line-down");
    scheduling.runReady();
    int callsWhenThrottled = p.calls.size();

    scheduling.advance(Duration.ofSeconds(1));
    r.trigger("address-changed");
    scheduling.advance(Duration.ofSeconds(8));
    assertThat(p.calls).hasSize(callsWhenThrottled);
    assertThat(address(p)).isEqualTo(ip("192.0.2.1"));

    scheduling.advance(Duration.ofSeconds(1));
    assertThat(address(p)).isEqualTo(ip("198.51.100.1"));
    assertThat(p.calls.subList(callsWhenThrottled, p.calls.size()))
        .allSatisfy(at -> assertThat(at).isAfterOrEqualTo(throttledAt.plusSeconds(10)));
  }

  @Test
  void aTriggerSupersedesABackoffWaitWithTheNewerPlanAtOnce() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = applied(p);
    p.memory.failNext(new TransientProviderException("SERVFAIL"));
    lineDown("a");
    r.trigger("line-down");
    scheduling.runReady();
    assertThat(address(p)).isEqualTo(ip("192.0.2.1"));

    r.trigger("line-down");
    scheduling.runReady();

    assertThat(address(p)).isEqualTo(ip("198.51.100.1"));
  }

  @Test
  void aChangeHeldWhileTheTermIsInDoubtIsWrittenOnceItIsConfirmedWithoutAReadBack()
      throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = applied(p);
    int listed = p.listed.get();
    term.doubt(epoch);
    lineDown("a");
    r.trigger("line-down");
    scheduling.runReady();
    assertThat(address(p)).isEqualTo(ip("192.0.2.1"));

    term.confirm(epoch);
    scheduling.advance(Duration.ofMillis(100));

    assertThat(address(p)).isEqualTo(ip("198.51.100.1"));
    assertThat(p.listed).as("no read-back for a retry of a held change").hasValue(listed);
  }

  @Test
  void aTermStartHeldWhileTheTermIsInDoubtStillReadsTheZoneBack() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = applied(p);
    long next = store.beginTerm("/latch");
    term.begin(next);
    term.doubt(next);
    int listed = p.listed.get();
    r.beginTerm(next);
    scheduling.runReady();
    assertThat(p.listed).hasValue(listed);

    term.confirm(next);
    scheduling.advance(Duration.ofMillis(100));

    assertThat(p.listed).as("the new term's read-back").hasValue(listed + 1);
  }

  @Test
  void aTermClaimsItsFencesFirstAndItsReconcileDoesNotClaimThemAgain() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = manual(zone(p));

    r.claimFences(epoch);
    scheduling.runReady();
    assertThat(p.claims).containsExactly(epoch);
    assertThat(p.memory.fence()).isEqualTo(epoch);
    assertThat(p.listed).as("nothing read or written besides the claim").hasValue(0);
    assertThat(p.memory.records()).isEmpty();
    assertThat(reconciled).as("a claim alone is not counted as a reconcile").isEmpty();

    r.beginTerm(epoch);
    scheduling.runReady();
    assertThat(address(p)).isEqualTo(ip("192.0.2.1"));
    assertThat(p.listed).as("the term's read-back").hasValue(1);
    assertThat(p.claims).as("claimed once in the term").containsExactly(epoch);
    assertThat(reconciled).singleElement().asString().startsWith("term-start: Applied");
  }

  @Test
  void aClaimAndTheTermsReconcileAskedTogetherRunAsOneReconcile() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = manual(zone(p));

    r.claimFences(epoch);
    r.beginTerm(epoch);
    scheduling.runReady();

    assertThat(address(p)).isEqualTo(ip("192.0.2.1"));
    assertThat(p.claims).containsExactly(epoch);
    assertThat(p.listed).hasValue(1);
    assertThat(reconciled).hasSize(1);
  }

  @Test
  void aClaimThatFailsIsCountedAndRetriedWithAReadBack() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = manual(zone(p));
    p.memory.failNext(new TransientProviderException("connection refused"));

    r.claimFences(epoch);
    scheduling.runReady();
    assertThat(p.memory.fence()).isNotEqualTo(epoch);
    assertThat(reconciled).singleElement().asString().contains("RetryAfter");
    assertThat(retryStates).containsExactly(1);

    scheduling.advance(Duration.ofSeconds(1));
    assertThat(p.memory.fence()).isEqualTo(epoch);
    assertThat(address(p)).as("the retry is a full reconcile").isEqualTo(ip("192.0.2.1"));
    assertThat(p.listed).hasValue(1);
  }

  @Test
  void aClaimOfAStaleTermReportsTheTermLost() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    p.memory.claim(epoch + 1);
    Reconciler r = manual(zone(p));

    r.claimFences(epoch);
    scheduling.runReady();

    assertThat(termLost).singleElement().asString().contains("fenced");
    assertThat(p.memory.fence()).isEqualTo(epoch + 1);
  }

  @Test
  void aFailedApplyIsRetriedWithGrowingBackoffUntilItSucceeds() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = manual(zone(p));
    for (int i = 0; i < 4; i++) {
      p.memory.failNext(new TransientProviderException("connection refused"));
    }

    r.beginTerm(epoch);
    scheduling.runReady();
    scheduling.advance(Duration.ofMinutes(2));

    assertThat(address(p)).isEqualTo(ip("192.0.2.1"));
    assertThat(retryStates).containsExactly(1, 2, 3, 4, 0);
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < p.calls.size(); i++) {
      gaps.add(Duration.between(p.calls.get(i - 1), p.calls.get(i)));
    }
    // 200 ms doubling with ±50 % jitter: the fourth wait is at least 800 ms, the first at most 300.
    assertThat(gaps.get(3)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    assertThat(gaps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aNewTermDropsTheOldRetryChainButStillHonoursTheBackendsWait() throws Exception {
    WatchedProvider p = new WatchedProvider("one.test");
    Reconciler r = manual(zone(p));
    p.memory.failNext(
        new TransientProviderException("HTTP 429", null, Optional.of(Duration.ofSeconds(5))));
    r.beginTerm(epoch);
    scheduling.runReady();
    r.endTerm();
    long next = store.beginTerm("/latch");
    term.begin(next);

    r.beginTerm(next);
    scheduling.runReady();
    assertThat(p.memory.records()).isEmpty();

    scheduling.advance(Duration.ofSeconds(5));
    assertThat(address(p)).isEqualTo(ip("192.0.2.1"));
    assertThat(p.memory.fence()).isEqualTo(next);
  }

  @Test
  void reportsALostTermOnceWhenEveryZoneFindsItFenced() throws Exception {
    WatchedProvider one = new WatchedProvider("one.test");
    WatchedProvider two = new WatchedProvider("two.test");
    one.memory.claim(epoch + 5);
    two.memory.claim(epoch + 5);
    Reconciler r = manual(zone(one), zone(two));

    r.beginTerm(epoch);
    scheduling.runReady();

    assertThat(termLost).singleElement().asString().contains("fenced");
  }

  @Test
  void aHangingZoneDoesNotHoldUpTheOthersAndNeverRunsConcurrentlyWithItself() throws Exception {
    WatchedProvider hanging = new WatchedProvider("slow.test");
    WatchedProvider healthy = new WatchedProvider("fast.test");
    CountDownLatch release = new CountDownLatch(1);
    hanging.gate = release;
    Reconciler r =
        new Reconciler(
            List.of(zone(hanging), zone(healthy)),
            term,
            RESYNC,
            observer,
            termLost::add,
            clock,
            () -> ReconcileScheduling.pooled(2));
    started.add(r);
    r.start();

    r.beginTerm(epoch);
    assertThat(hanging.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(healthy.applied.await(10, TimeUnit.SECONDS))
        .as("the healthy zone is applied while the other hangs")
        .isTrue();
    healthy.applied = new CountDownLatch(1);
    lineDown("a");
    for (int i = 0; i < 20; i++) {
      r.trigger("burst " + i);
    }
    assertThat(healthy.applied.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(address(healthy)).isEqualTo(ip("198.51.100.1"));

    int callsBeforeRelease = hanging.calls.size();
    hanging.afterRelease = new CountDownLatch(1);
    release.countDown();
    assertThat(hanging.afterRelease.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(hanging.concurrent).hasValue(0);
    assertThat(hanging.maxInFlight).hasValue(1);
    assertThat(hanging.calls.size()).isGreaterThan(callsBeforeRelease);
  }

  /** A reconciler of {@code p}'s zone whose term began and wrote the record on line a. */
  private Reconciler applied(WatchedProvider p) throws Exception {
    Reconciler r = manual(zone(p));
    r.beginTerm(epoch);
    scheduling.runReady();
    assertThat(address(p)).isEqualTo(ip("192.0.2.1"));
    return r;
  }

  private Reconciler manual(ZoneReconciler... zones) {
    Reconciler r =
        new Reconciler(
            List.of(zones), term, RESYNC, observer, termLost::add, clock, () -> scheduling);
    started.add(r);
    r.start();
    return r;
  }

  private ZoneReconciler zone(WatchedProvider p) {
    RecordConfig app =
        new RecordConfig(
            new RecordKey("app." + p.zone(), RecordType.A),
            30,
            Policy.FAILOVER,
            List.of("a", "b"),
            p.zone());
    return new ZoneReconciler(
        ZoneReconcilerSettings.builder(p.zone(), List.of(app))
            .provider(p)
            .store(store)
            .lines(() -> Map.copyOf(lines))
            .term(term)
            .nodeId("node-1")
            .clock(clock)
            .build());
  }

  private void lineDown(String line) {
    LineState s = lines.get(line);
    lines.put(line, new LineState(line, Health.DOWN, s.addresses()));
  }

  private static InetAddress address(WatchedProvider p) {
    RecordSet rs = p.memory.records().get(new RecordKey("app." + p.zone(), RecordType.A));
    return rs == null ? null : rs.addresses().getFirst();
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  /**
   * Records when it was called and how many calls overlapped; may hold every call at a gate until
   * the test opens it.
   */
  private final class WatchedProvider implements DnsProvider {
    final InMemoryDnsProvider memory;
    final List<Instant> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger listed = new AtomicInteger();
    final List<Long> claims = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch gate;
    volatile CountDownLatch applied = new CountDownLatch(1);
    volatile CountDownLatch afterRelease;

    WatchedProvider(String zone) {
      memory = new InMemoryDnsProvider(zone);
    }

    private void enter() throws ProviderException {
      calls.add(clock.instant());
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      if (now > 1) {
        concurrent.incrementAndGet();
      }
      entered.countDown();
      CountDownLatch g = gate;
      CountDownLatch after = afterRelease;
      if (after != null) {
        after.countDown();
      }
      if (g != null) {
        try {
          if (!g.await(30, TimeUnit.SECONDS)) {
            throw new TransientProviderException("gate never opened");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TransientProviderException("interrupted", e);
        }
      }
    }

    @Override
    public String zone() {
      return memory.zone();
    }

    @Override
    public boolean fencesWrites() {
      return true;
    }

    @Override
    public int maxChangesPerCall() {
      return Integer.MAX_VALUE;
    }

    @Override
    public void claim(long epoch) throws ProviderException {
      enter();
      try {
        memory.claim(epoch);
        claims.add(epoch);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public List<RecordSet> list() throws ProviderException {
      listed.incrementAndGet();
      enter();
      try {
        return memory.list();
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public Set<RecordKey> ownedKeys() {
      return memory.ownedKeys();
    }

    @Override
    public void apply(List<Change> changes, long epoch) throws ProviderException {
      enter();
      try {
        memory.apply(changes, epoch);
        applied.countDown();
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public void close() {}
  }
}
