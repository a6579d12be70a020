package io.haddns.controller.provider;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a circuit breaker and a time limit per call to a {@link DnsProvider}. Retrying is left to
 * the {@link io.haddns.controller.reconcile.Reconciler}, which backs off after every transient
 * failure: this decorator only makes those failures arrive fast and bounded.
 *
 * <p>Circuit breaker (Resilience4j, one per zone): only {@link TransientProviderException}s, time
 * limit overruns included, count as failures. {@link PermanentProviderException} and {@link
 * FencedException} pass through unchanged and count neither way: a bad key or a newer leader says
 * nothing about the backend's availability. While the breaker is open every call fails at once with
 * a {@link TransientProviderException} ("circuit open for zone X (provider Y)") without reaching
 * the backend.
 *
 * <p>Time limits: each call runs on this provider's own single thread and is abandoned (and
 * interrupted) when it takes longer than its limit, which surfaces as a {@link
 * TransientProviderException}. Writes ({@link #claim}, {@link #apply}) are bounded by {@link
 * ResilienceSettings#timeLimit()}; reads ({@link #list}) by the longer {@link
 * ResilienceSettings#readTimeLimit()}, since a read writes nothing that a new leader could race and
 * a large zone read back page by page at the API's rate limit takes its time. This is what
 * Resilience4j's {@code TimeLimiter} does with a future ({@code get} with a timeout, then {@code
 * cancel(true)}), kept here so that the breaker counts an overrun as one more transient failure. An
 * abandoned call may still complete at the backend: an RFC 2136 UPDATE that timed out here may have
 * been applied. That is safe because UPDATEs carry full RRsets (idempotent, RFC 2136 §3.4.2) and
 * are conditional on the fence record holding the writer's epoch (docs/architecture.md, "Fencing"),
 * so a late UPDATE can neither corrupt nor outlive its term. For backends without conditional
 * writes the limit is what bounds the stale-leader window, hence under a third of the ZooKeeper
 * session timeout. Because the thread is single, a call still running after its time limit delays
 * the next one, which keeps the delegate free of concurrent calls.
 *
 * <p>Threading: like any {@link DnsProvider}, called by one reconciler thread at a time; {@link
 * #circuitState()} may be read from any thread. {@link #close()} stops the call thread and closes
 * the delegate.
 */
public final class ResilientDnsProvider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(ResilientDnsProvider.class);

  private final DnsProvider delegate;
  private final String zone;
  private final String providerType;
  private final Duration writeLimit;
  private final Duration readLimit;
  private final ProviderCallObserver observer;
  private final CircuitBreaker breaker;
  private final ExecutorService calls;

  /** With {@link ResilienceSettings#defaults(Duration)} for {@code timeLimit}. */
  public ResilientDnsProvider(
      DnsProvider delegate,
      String providerType,
      Duration timeLimit,
      ProviderCallObserver observer,
      InstantSource clock) {
    this(delegate, providerType, ResilienceSettings.defaults(timeLimit), observer, clock);
  }

  /**
   * @param providerType the backend's type ({@code rfc2136}, {@code embedded}…), for messages
   * @param clock drives the breaker's wait in the open state
   */
  public ResilientDnsProvider(
      DnsProvider delegate,
      String providerType,
      ResilienceSettings settings,
      ProviderCallObserver observer,
      InstantSource clock) {
    this.delegate = delegate;
    this.zone = delegate.zone();
    this.providerType = providerType;
    this.writeLimit = settings.timeLimit();
    this.readLimit = settings.readTimeLimit();
    this.observer = observer;
    this.breaker = CircuitBreaker.of("provider-" + zone, breakerConfig(settings, clock));
    breaker
        .getEventPublisher()
        .onStateTransition(
            e ->
                log.warn(
                    "zone={} provider={} circuit {}", zone, providerType, e.getStateTransition()));
    this.calls =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("haddns-provider-" + zone).factory());
    observer.watchCircuit(zone, this::circuitState);
  }

  private static CircuitBreakerConfig breakerConfig(ResilienceSettings s, InstantSource clock) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(s.slidingWindowSize())
        .minimumNumberOfCalls(s.minimumNumberOfCalls())
        .failureRateThreshold(s.failureRatePercent())
        .waitDurationInOpenState(s.waitInOpenState())
        .permittedNumberOfCallsInHalfOpenState(s.permittedCallsInHalfOpen())
        .recordException(e -> e instanceof TransientProviderException)
        .ignoreException(e -> !(e instanceof TransientProviderException))
        .clock(clock.withZone(ZoneOffset.UTC))
        .build();
  }

  /** The breaker's state now; forced and disabled states map to the nearest of the three. */
  public CircuitState circuitState() {
    return switch (breaker.getState()) {
      case CLOSED, DISABLED, METRICS_ONLY -> CircuitState.CLOSED;
      case OPEN, FORCED_OPEN -> CircuitState.OPEN;
      case HALF_OPEN -> CircuitState.HALF_OPEN;
    };
  }

  @Override
  public String zone() {
    return zone;
  }

  @Override
  public boolean fencesWrites() {
    return delegate.fencesWrites();
  }

  @Override
  public Set<RecordKey> ownedKeys() {
    return delegate.ownedKeys();
  }

  @Override
  public int maxChangesPerCall() {
    return delegate.maxChangesPerCall();
  }

  @Override
  public void claim(long epoch) throws ProviderException {
    call(
        "claim",
        writeLimit,
        () -> {
          delegate.claim(epoch);
          return null;
        });
  }

  /** Bounded like a read, and counted by the breaker like one. */
  @Override
  public void prepare() throws ProviderException {
    call(
        "prepare",
        readLimit,
        () -> {
          delegate.prepare();
          return null;
        });
  }

  @Override
  public List<RecordSet> list() throws ProviderException {
    return call("list", readLimit, delegate::list);
  }

  @Override
  public void apply(List<Change> changes, long epoch) throws ProviderException {
    call(
        "apply",
        writeLimit,
        () -> {
          delegate.apply(changes, epoch);
          return null;
        });
  }

  @FunctionalInterface
  private interface ProviderCall<T> {
    T run() throws ProviderException;
  }

  private <T> T call(String operation, Duration timeLimit, ProviderCall<T> call)
      throws ProviderException {
    if (!breaker.tryAcquirePermission()) {
      observer.called(zone, operation, CallOutcome.REJECTED);
      throw new TransientProviderException(
          "circuit open for zone " + zone + " (provider " + providerType + ")");
    }
    long start = breaker.getCurrentTimestamp();
    Future<T> future;
    try {
      future = calls.submit(call::run);
    } catch (RejectedExecutionException e) {
      breaker.releasePermission();
      observer.called(zone, operation, CallOutcome.TRANSIENT);
      throw new TransientProviderException("provider for zone " + zone + " is closed", e);
    }
    try {
      T result = future.get(timeLimit.toNanos(), TimeUnit.NANOSECONDS);
      breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
      observer.called(zone, operation, CallOutcome.SUCCESS);
      return result;
    } catch (TimeoutException e) {
      future.cancel(true);
      TransientProviderException timedOut =
          new TransientProviderException(
              operation
                  + " for zone "
                  + zone
                  + " (provider "
                  + providerType
                  + ") took longer than "
                  + timeLimit.toMillis()
                  + "ms",
              e);
      failed(operation, start, timedOut, CallOutcome.TIMEOUT);
      throw timedOut;
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case ProviderException pe -> {
          failed(operation, start, pe, outcome(pe));
          throw pe;
        }
        case RuntimeException re -> {
          failed(operation, start, re, CallOutcome.ERROR);
          throw re;
        }
        case Error err -> throw err;
        // ProviderCall declares no other checked exception.
        case Throwable t -> throw new IllegalStateException(t);
      }
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      // Interruption means shutdown or a lost term, not an unhealthy backend.
      breaker.releasePermission();
      observer.called(zone, operation, CallOutcome.TRANSIENT);
      throw new TransientProviderException(operation + " for zone " + zone + " interrupted", e);
    }
  }

  private void failed(String operation, long start, Throwable e, CallOutcome outcome) {
    breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
    observer.called(zone, operation, outcome);
  }

  private static CallOutcome outcome(ProviderException e) {
    return switch (e) {
      case TransientProviderException t -> CallOutcome.TRANSIENT;
      case PermanentProviderException p -> CallOutcome.PERMANENT;
      case FencedException f -> CallOutcome.FENCED;
    };
  }

  /**
   * Forgets the failures counted so far and closes the breaker: for failures that said nothing
   * about the backend (a rehearsed outage ended, docs/operations.md, "Failover drills").
   */
  public void forgetFailures() {
    if (breaker.getState() != CircuitBreaker.State.CLOSED) {
      log.info("zone={} provider circuit closed: the failures it counted were rehearsed", zone());
    }
    breaker.reset();
  }

  @Override
  public void close() {
    calls.shutdownNow();
    delegate.close();
  }
}
