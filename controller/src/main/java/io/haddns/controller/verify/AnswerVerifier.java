package io.haddns.controller.verify;

import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.reconcile.ApplyVerification;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After an apply, asks the zone's authoritative servers (non-recursive queries, dnsjava) until
 * every one answers every checked change with the new addresses — or an absent name for a delete —
 * and reports how long after the apply that was. Checks at most {@value #MAX_CHECKED} changes of a
 * batch (the first ones): a mass change is visible when its sample is. A newer apply to a zone
 * supersedes the verification of the previous one.
 */
public final class AnswerVerifier implements ApplyVerification, AutoCloseable {
  static final int MAX_CHECKED = 10;
  private static final Logger log = LoggerFactory.getLogger(AnswerVerifier.class);
  private static final Duration FAST = Duration.ofMillis(20);
  private static final Duration SLOW = Duration.ofMillis(250);
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

  private final Function<String, List<InetSocketAddress>> servers;
  private final Map<String, Duration> timeouts;
  private final VerifyObserver observer;
  private final InstantSource clock;
  private final ServerAnswers answers;
  private final ScheduledExecutorService executor;
  private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

  /**
   * @param servers the servers to ask for a zone (resolved when a verification starts); an empty
   *     list fails the verification
   * @param timeouts per zone; zones not listed are not verified
   */
  public AnswerVerifier(
      Function<String, List<InetSocketAddress>> servers,
      Map<String, Duration> timeouts,
      VerifyObserver observer,
      InstantSource clock) {
    this(servers, timeouts, observer, new ServerAnswers(), clock);
  }

  /**
   * @param answers told what each server answered for each checked change
   */
  public AnswerVerifier(
      Function<String, List<InetSocketAddress>> servers,
      Map<String, Duration> timeouts,
      VerifyObserver observer,
      ServerAnswers answers,
      InstantSource clock) {
    this.answers = answers;
    this.servers = servers;
    this.timeouts = Map.copyOf(timeouts);
    this.observer = observer;
    this.clock = clock;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "haddns-verify");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void applied(String zone, List<Change> changes, Instant appliedAt) {
    Duration timeout = timeouts.get(zone);
    if (timeout == null || changes.isEmpty()) {
      return;
    }
    List<Change> sample = List.copyOf(changes.subList(0, Math.min(MAX_CHECKED, changes.size())));
    try {
      executor.execute(() -> begin(zone, sample, appliedAt, appliedAt.plus(timeout)));
    } catch (RejectedExecutionException e) {
      log.debug("zone={} verification dropped: verifier stopped", zone);
    }
  }

  private void begin(String zone, List<Change> sample, Instant appliedAt, Instant deadline) {
    ScheduledFuture<?> previous = running.remove(zone);
    if (previous != null) {
      previous.cancel(false);
    }
    List<InetSocketAddress> targets;
    try {
      targets = servers.apply(zone);
    } catch (RuntimeException e) {
      fail(zone, "cannot find its name servers: " + e.getMessage());
      return;
    }
    if (targets.isEmpty()) {
      fail(zone, "no name servers to ask");
      return;
    }
    check(zone, sample, targets, appliedAt, deadline);
  }

  private void check(
      String zone,
      List<Change> sample,
      List<InetSocketAddress> targets,
      Instant appliedAt,
      Instant deadline) {
    running.remove(zone);
    String pending = null;
    for (InetSocketAddress server : targets) {
      for (Change c : sample) {
        if (!answeredBy(server, c)) {
          pending = c.key() + " at " + server;
          break;
        }
      }
      if (pending != null) {
        break;
      }
    }
    Instant now = clock.instant();
    if (pending == null) {
      Duration took = Duration.between(appliedAt, now);
      log.info(
          "zone={} change visible at {} name servers after {}ms",
          zone,
          targets.size(),
          took.toMillis());
      observer.visible(zone, took);
      return;
    }
    if (!now.isBefore(deadline)) {
      fail(zone, "not answered within the timeout: " + pending);
      return;
    }
    Duration next =
        Duration.between(appliedAt, now).compareTo(Duration.ofSeconds(1)) < 0 ? FAST : SLOW;
    try {
      running.put(
          zone,
          executor.schedule(
              () -> check(zone, sample, targets, appliedAt, deadline),
              next.toMillis(),
              TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException e) {
      log.debug("zone={} verification stopped", zone);
    }
  }

  private void fail(String zone, String reason) {
    log.warn("zone={} applied change not verified: {}", zone, reason);
    observer.notVisible(zone, reason);
  }

  /**
   * Whether {@code server} answers {@code change}'s new state (authoritatively); its answer is kept
   * in {@link #answers}.
   */
  private boolean answeredBy(InetSocketAddress server, Change change) {
    RecordSet expected =
        switch (change) {
          case Change.Create c -> c.desired();
          case Change.Update u -> u.desired();
          case Change.Delete d -> new RecordSet(d.key(), d.current().ttl(), List.of());
        };
    try {
      var answer = AuthoritativeAnswers.query(server, expected.key(), QUERY_TIMEOUT);
      boolean matches = answer.equals(new HashSet<>(expected.addresses()));
      answers.answered(expected.key(), server, answer, matches, clock.instant());
      return matches;
    } catch (IOException e) {
      answers.failed(
          expected.key(),
          server,
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
          clock.instant());
      return false;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
