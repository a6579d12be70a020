package io.haddns.controller.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.testing.SettableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilientDnsProviderTest {
  private static final String ZONE = "example.com.";
  private static final Duration LIMIT = Duration.ofSeconds(5);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScriptedProvider backend = new ScriptedProvider();
  private final List<String> outcomes = new ArrayList<>();
  private final ProviderCallObserver observer =
      new ProviderCallObserver() {
        @Override
        public void watchCircuit(String zone, Supplier<CircuitState> state) {}

        @Override
        public void called(String zone, String operation, CallOutcome outcome) {
          outcomes.add(operation + ":" + outcome.label());
        }
      };
  private ResilientDnsProvider provider =
      new ResilientDnsProvider(backend, "rfc2136", LIMIT, observer, clock);

  @AfterEach
  void closeProvider() {
    backend.release.countDown();
    provider.close();
  }

  @Test
  void passesCallsAndResultsThrough() throws Exception {
    RecordSet rs =
        new RecordSet(
            new RecordKey("app.example.com", RecordType.A),
            60,
            List.of(InetAddress.getByName("192.0.2.1")));
    backend.listed = List.of(rs);

    provider.claim(7);
    provider.apply(List.of(new Change.Create(rs)), 7);

    assertThat(provider.list()).containsExactly(rs);
    assertThat(provider.zone()).isEqualTo(ZONE);
    assertThat(provider.fencesWrites()).isTrue();
    assertThat(backend.calls).containsExactly("claim 7", "apply 1 7", "list");
    assertThat(outcomes).containsExactly("claim:success", "apply:success", "list:success");
  }

  @Test
  void opensAfterFiveCallsOfWhichHalfFailedTransiently() {
    for (int i = 0; i < 4; i++) {
      failTransiently();
    }
    assertThat(provider.circuitState()).isEqualTo(CircuitState.CLOSED);

    failTransiently();

    assertThat(provider.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void staysClosedWhileFewerThanHalfOfTheLastCallsFail() throws Exception {
    for (int i = 0; i < 10; i++) {
      if (i % 3 == 0) {
        failTransiently();
      } else {
        provider.list();
      }
    }

    assertThat(provider.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void permanentAndFencedFailuresPassThroughWithoutTrippingTheBreaker() {
    for (int i = 0; i < 10; i++) {
      PermanentProviderException permanent = new PermanentProviderException("NOTAUTH");
      FencedException fenced = new FencedException("held by epoch 9");
      backend.failures.add(permanent);
      backend.failures.add(fenced);
      assertThatThrownBy(() -> provider.apply(List.of(), 1)).isSameAs(permanent);
      assertThatThrownBy(() -> provider.claim(1)).isSameAs(fenced);
    }

    assertThat(provider.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(outcomes).contains("apply:permanent", "claim:fenced").doesNotContain("transient");
  }

  @Test
  void uncheckedExceptionsPassThroughWithoutTrippingTheBreaker() {
    for (int i = 0; i < 10; i++) {
      IllegalStateException bug = new IllegalStateException("bug");
      backend.bug = bug;
      assertThatThrownBy(provider::list).isSameAs(bug);
    }

    assertThat(provider.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(outcomes).last().isEqualTo("list:error");
  }

  @Test
  void openCircuitFailsFastWithTransientErrorWithoutCallingTheBackend() {
    open();
    int before = backend.calls.size();

    assertThatThrownBy(() -> provider.apply(List.of(), 3))
        .isInstanceOf(TransientProviderException.class)
        .hasMessage("circuit open for zone example.com. (provider rfc2136)");

    assertThat(backend.calls).hasSize(before);
    assertThat(outcomes).last().isEqualTo("apply:rejected");
  }

  @Test
  void halfOpensAfterTheWaitAndClosesWhenTrialCallsSucceed() throws Exception {
    open();
    clock.advance(Duration.ofSeconds(9));
    assertThatThrownBy(provider::list).hasMessageStartingWith("circuit open");

    clock.advance(Duration.ofSeconds(2));
    provider.list();
    assertThat(provider.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
    provider.list();
    provider.list();

    assertThat(provider.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void reopensWhenTrialCallsFail() throws Exception {
    open();
    clock.advance(Duration.ofSeconds(11));

    failTransiently();
    failTransiently();
    provider.list();

    assertThat(provider.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void writeOverTheTimeLimitBecomesTransientFailure() throws Exception {
    provider.close();
    provider = new ResilientDnsProvider(backend, "rfc2136", Duration.ofMillis(50), observer, clock);
    backend.hang = true;

    assertThatThrownBy(() -> provider.apply(List.of(), 1))
        .isInstanceOf(TransientProviderException.class)
        .hasMessage("apply for zone example.com. (provider rfc2136) took longer than 50ms");

    assertThat(outcomes).containsExactly("apply:timeout");
    assertThat(backend.interrupted.await(5, TimeUnit.SECONDS))
        .as("the abandoned call is interrupted")
        .isTrue();
  }

  @Test
  void readOverTheReadTimeLimitBecomesTransientFailure() throws Exception {
    provider.close();
    provider =
        new ResilientDnsProvider(
            backend,
            "cloudflare",
            ResilienceSettings.defaults(Duration.ofSeconds(5)).withReadTimeLimit(ms(50)),
            observer,
            clock);
    backend.hang = true;

    assertThatThrownBy(provider::list)
        .isInstanceOf(TransientProviderException.class)
        .hasMessage("list for zone example.com. (provider cloudflare) took longer than 50ms");

    assertThat(outcomes).containsExactly("list:timeout");
    assertThat(backend.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void pacedReadBackLongerThanTheWriteLimitCompletesWithinTheReadLimit() throws Exception {
    provider.close();
    provider = new ResilientDnsProvider(backend, "cloudflare", ms(60), observer, clock);
    // Eight pages at 40 requests/s: seven waits of 27 ms between them, well over the write limit.
    backend.pacer = RequestPacer.realTime(40);
    backend.pages = 8;

    long start = System.nanoTime();
    provider.list();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isGreaterThan(ms(60));
    assertThat(outcomes).containsExactly("list:success");
    assertThat(backend.requests).hasValue(8);
  }

  @Test
  void writePacedTheSameWayIsStillBoundedByTheWriteLimit() {
    provider.close();
    provider = new ResilientDnsProvider(backend, "cloudflare", ms(60), observer, clock);
    backend.pacer = RequestPacer.realTime(40);
    backend.pages = 8;

    assertThatThrownBy(() -> provider.apply(List.of(), 1))
        .isInstanceOf(TransientProviderException.class)
        .hasMessageContaining("took longer than 60ms");
    assertThat(outcomes).containsExactly("apply:timeout");
  }

  @Test
  void defaultReadLimitIsTwoMinutesOrTheWriteLimitWhenLonger() {
    assertThat(ResilienceSettings.defaults(Duration.ofMillis(1800)).readTimeLimit())
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(ResilienceSettings.defaults(Duration.ofMinutes(3)).readTimeLimit())
        .isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void timeoutsCountAsFailuresForTheBreaker() {
    provider.close();
    provider = new ResilientDnsProvider(backend, "rfc2136", Duration.ofMillis(1), observer, clock);
    backend.hang = true;

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> provider.apply(List.of(), 1))
          .isInstanceOf(TransientProviderException.class);
    }

    assertThat(provider.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void closedProviderFailsTransientlyAndClosesTheBackend() {
    provider.close();

    assertThatThrownBy(provider::list)
        .isInstanceOf(TransientProviderException.class)
        .hasMessageContaining("closed");
    assertThat(backend.closed).isTrue();
  }

  @Test
  void settingsRejectNonsenseNamingTheField() {
    assertThatThrownBy(() -> ResilienceSettings.defaults(Duration.ZERO))
        .hasMessageContaining("timeLimit");
    assertThatThrownBy(() -> new ResilienceSettings(LIMIT, LIMIT, 10, 11, 50, LIMIT, 3))
        .hasMessageContaining("minimumNumberOfCalls");
    assertThatThrownBy(() -> ResilienceSettings.defaults(LIMIT).withReadTimeLimit(Duration.ZERO))
        .hasMessageContaining("readTimeLimit");
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private void failTransiently() {
    backend.failures.add(new TransientProviderException("SERVFAIL"));
    assertThatThrownBy(provider::list)
        .isInstanceOf(TransientProviderException.class)
        .hasMessage("SERVFAIL");
  }

  private void open() {
    for (int i = 0; i < 5; i++) {
      failTransiently();
    }
    assertThat(provider.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  /** Records calls; fails, throws or hangs as the test sets up. */
  private static final class ScriptedProvider implements DnsProvider {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Deque<ProviderException> failures = new ConcurrentLinkedDeque<>();
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    volatile List<RecordSet> listed = List.of();
    volatile RuntimeException bug;
    volatile boolean hang;
    volatile boolean closed;
    volatile RequestPacer pacer;
    volatile int pages;
    final AtomicInteger requests = new AtomicInteger();

    private void script(String call) throws ProviderException {
      calls.add(call);
      try {
        for (int i = 0; i < pages; i++) {
          pacer.acquire();
          requests.incrementAndGet();
        }
        if (hang) {
          release.await();
        }
      } catch (InterruptedException e) {
        interrupted.countDown();
        Thread.currentThread().interrupt();
        throw new TransientProviderException("interrupted", e);
      }
      RuntimeException b = bug;
      if (b != null) {
        bug = null;
        throw b;
      }
      ProviderException e = failures.poll();
      if (e != null) {
        throw e;
      }
    }

    @Override
    public String zone() {
      return ZONE;
    }

    @Override
    public java.util.Set<io.haddns.controller.dns.RecordKey> ownedKeys() {
      return java.util.Set.of();
    }

    @Override
    public int maxChangesPerCall() {
      return Integer.MAX_VALUE;
    }

    @Override
    public boolean fencesWrites() {
      return true;
    }

    @Override
    public void claim(long epoch) throws ProviderException {
      script("claim " + epoch);
    }

    @Override
    public List<RecordSet> list() throws ProviderException {
      script("list");
      return listed;
    }

    @Override
    public void apply(List<Change> changes, long epoch) throws ProviderException {
      script("apply " + changes.size() + " " + epoch);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
