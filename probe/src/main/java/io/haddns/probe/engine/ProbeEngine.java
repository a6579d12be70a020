package io.haddns.probe.engine;

import io.haddns.probe.Health;
import io.haddns.probe.PortProber;
import io.haddns.probe.ProbeResult.FaultKind;
import io.haddns.probe.Prober;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every line at its interval and decides its health with rise/fall hysteresis.
 *
 * <p>A round of a line sends every probe of its set to every address at once and succeeds iff all
 * succeed. A line has at most one round in flight; the next starts one interval after the previous
 * one started (one fast interval while the line's health is changing, see {@link
 * HealthTracker#changing()}), or as soon as it finishes when it ran longer. Lines known at {@link
 * #start()} have their first rounds spread evenly over their interval; a line added later, or whose
 * addresses changed, starts {@link Health#UNKNOWN} and is probed at once (when a round for its old
 * addresses is still in flight, right after that round, whose result is discarded). A line with no
 * addresses is {@link Health#UNKNOWN} and not probed.
 *
 * <p>A round whose probes could not be sent or judged (a prober fault, or a round that ran late
 * because this process was starved) is inconclusive: it is reported to the observer, warned about
 * at most every {@link FaultWarnings#PERIOD} per kind, and leaves the line's health and streaks as
 * they were (docs/architecture.md, "Prober faults").
 *
 * <p>Threading: all state lives on one engine thread, the single thread of the scheduler (passed
 * in, which must run one task at a time, or owned). No thread per line: rounds are timer tasks and
 * finished rounds hop back to that thread (all that finished together in one task), so thousands of
 * lines cost thousands of timer tasks. {@link #setTargets} and {@link #seed} may be called from any
 * thread, before or after {@link #start()}; they apply asynchronously in call order and their
 * futures complete once applied. {@link HealthListener} and {@link ProbeObserver} are called on the
 * engine thread. The engine does not close the probers it was given.
 */
public final class ProbeEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeEngine.class);

  private enum State {
    LATENT,
    STARTED,
    CLOSED
  }

  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final InstantSource clock;
  private final HealthListener listener;
  private final ProbeObserver observer;
  private final Round round;
  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final Map<String, Health> view = new ConcurrentHashMap<>();
  private final Queue<Runnable> finished = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean finishedPosted = new AtomicBoolean();

  // Confined to the engine thread.
  private final Map<String, Line> lines = new HashMap<>();
  private final Map<String, Health> seeds = new HashMap<>();
  private final FaultWarnings faultWarnings;
  private boolean scheduling;

  private ProbeEngine(Builder b) {
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? ownedScheduler() : b.scheduler;
    this.clock = b.clock;
    this.listener = b.listener;
    this.observer = b.observer;
    this.round = new Round(b.icmp, b.tcp, clock, scheduler);
    this.faultWarnings = new FaultWarnings(clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts probing the current targets. */
  public void start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("probe engine: cannot start, state is " + state.get());
    }
    post(this::beginScheduling);
  }

  /** Replaces the set of lines to probe; returns when applied on the engine thread. */
  public CompletableFuture<Void> setTargets(List<LineTarget> targets) {
    Map<String, LineTarget> wanted = new HashMap<>();
    for (LineTarget t : targets) {
      if (wanted.put(t.line(), t) != null) {
        throw new IllegalArgumentException("line " + t.line() + " is listed twice");
      }
    }
    return submit(() -> applyTargets(wanted));
  }

  /**
   * Sets the last known health of lines (from the replicated state) so that a new leader does not
   * reset them to unknown. Applies to current lines with addresses and to lines added later; not a
   * transition, so nothing is emitted.
   */
  public CompletableFuture<Void> seed(Map<String, Health> health) {
    Map<String, Health> copy = Map.copyOf(health);
    return submit(() -> applySeeds(copy));
  }

  /** Current health of every known line; safe from any thread. */
  public Map<String, Health> snapshot() {
    return Map.copyOf(view);
  }

  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
      return;
    }
    try {
      scheduler.execute(() -> lines.values().forEach(Line::cancelNext));
    } catch (RejectedExecutionException e) {
      log.debug("probe engine: scheduler already shut down, no timers left to cancel", e);
    }
  }

  private void beginScheduling() {
    scheduling = true;
    List<Line> probed = new ArrayList<>(lines.values());
    probed.removeIf(l -> l.target.addresses().isEmpty());
    probed.sort(Comparator.comparing(l -> l.target.line()));
    for (int i = 0; i < probed.size(); i++) {
      Line l = probed.get(i);
      Duration offset = l.target.interval().multipliedBy(i).dividedBy(probed.size());
      scheduleRound(l, clock.instant().plus(offset));
    }
    log.info("probe engine: started lines={} probed={}", lines.size(), probed.size());
  }

  private void applyTargets(Map<String, LineTarget> wanted) {
    for (var it = lines.entrySet().iterator(); it.hasNext(); ) {
      Line l = it.next().getValue();
      if (!wanted.containsKey(l.target.line())) {
        it.remove();
        l.cancelNext();
        view.remove(l.target.line());
        log.info("line={} removed from probing", l.target.line());
      }
    }
    for (LineTarget t : wanted.values()) {
      Line l = lines.get(t.line());
      if (l == null) {
        Health seeded = seeds.remove(t.line());
        Health initial = t.addresses().isEmpty() || seeded == null ? Health.UNKNOWN : seeded;
        l = new Line(t, HealthTracker.starting(initial, t.fall(), t.rise()));
        lines.put(t.line(), l);
        view.put(t.line(), initial);
        probeNow(l);
      } else if (!new HashSet<>(l.target.addresses()).equals(new HashSet<>(t.addresses()))) {
        l.generation++;
        l.target = t;
        l.cancelNext();
        Health before = l.tracker.health();
        l.tracker = HealthTracker.starting(Health.UNKNOWN, t.fall(), t.rise());
        if (before != Health.UNKNOWN) {
          changed(l, before, "addresses changed to " + hosts(t.addresses()));
        }
        probeNow(l);
      } else {
        l.target = t;
        l.tracker = l.tracker.withThresholds(t.fall(), t.rise());
      }
    }
  }

  private void applySeeds(Map<String, Health> health) {
    health.forEach(
        (name, h) -> {
          Line l = lines.get(name);
          if (l == null) {
            seeds.put(name, h);
          } else if (!l.target.addresses().isEmpty()) {
            l.tracker = HealthTracker.starting(h, l.target.fall(), l.target.rise());
            view.put(name, h);
          }
        });
  }

  private void probeNow(Line l) {
    if (scheduling && !l.inFlight) {
      runRound(l, clock.instant());
    }
  }

  private void scheduleRound(Line l, Instant due) {
    l.cancelNext();
    // Started at the next whole millisecond of the clock: the rounds due within one millisecond
    // start in one wake-up of the engine thread, not one each (thousands a second at scale). The
    // round still counts as due at `due`, so this adds under a millisecond to its lateness.
    Instant at = due.truncatedTo(ChronoUnit.MILLIS);
    if (at.isBefore(due)) {
      at = at.plusMillis(1);
    }
    long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
    l.next =
        scheduler.schedule(guarded(() -> runScheduledRound(l, due)), delay, TimeUnit.NANOSECONDS);
  }

  private void runScheduledRound(Line l, Instant due) {
    if (runRound(l, due)) {
      Duration late = Duration.between(due, l.started);
      notifyObserver(
          () -> observer.onRoundStarted(l.target.line(), late.isNegative() ? Duration.ZERO : late));
    }
  }

  /** Starts a round of {@code l} due at {@code due}, unless none may start; whether it did. */
  private boolean runRound(Line l, Instant due) {
    if (state.get() == State.CLOSED || lines.get(l.target.line()) != l || l.inFlight) {
      return false;
    }
    l.next = null;
    if (l.target.addresses().isEmpty()) {
      return false;
    }
    l.inFlight = true;
    l.due = due;
    l.started = clock.instant();
    long generation = l.generation;
    round
        .start(l.target)
        .thenAccept(outcomes -> postFinished(() -> finishRound(l, generation, outcomes)));
    return true;
  }

  private void finishRound(Line l, long generation, List<ProbeOutcome> outcomes) {
    l.inFlight = false;
    if (lines.get(l.target.line()) != l) {
      return;
    }
    if (generation != l.generation) {
      runRound(l, clock.instant());
      return;
    }
    for (ProbeOutcome o : outcomes) {
      notifyObserver(() -> observer.onProbe(o));
    }
    RoundVerdict verdict = starved(l, RoundVerdict.of(outcomes));
    switch (verdict) {
      case RoundVerdict.Passed p -> notifyObserver(() -> observer.onRound(l.target.line(), true));
      case RoundVerdict.Failed f -> notifyObserver(() -> observer.onRound(l.target.line(), false));
      case RoundVerdict.Inconclusive i -> {
        notifyObserver(() -> observer.onInconclusiveRound(l.target.line(), i));
        faultWarnings.warn(l.target.line(), i);
      }
    }
    Health before = l.tracker.health();
    l.tracker = l.tracker.afterRound(verdict);
    if (l.tracker.health() != before) {
      changed(
          l,
          before,
          switch (verdict) {
            case RoundVerdict.Failed f ->
                l.tracker.fall() + " failed rounds in a row, last: " + f.first().describe();
            case RoundVerdict.Passed p -> l.tracker.rise() + " successful rounds in a row";
            case RoundVerdict.Inconclusive i -> "prober fault " + i.kind().label();
          });
    }
    Instant now = clock.instant();
    Instant nextDue =
        l.due.plus(l.tracker.changing() ? l.target.fastInterval() : l.target.interval());
    if (!nextDue.isAfter(now)) {
      Duration overrun = Duration.between(nextDue, now);
      notifyObserver(() -> observer.onRoundOverran(l.target.line(), overrun));
    }
    scheduleRound(l, nextDue.isAfter(now) ? nextDue : now);
  }

  /**
   * A round that did not pass is inconclusive when the engine itself ran late: it started more than
   * an interval after it was due, or its results were handled after its probes' deadline (plus the
   * guard's grace). Either means this process was starved, and a timeout then says nothing about
   * the line.
   */
  private RoundVerdict starved(Line l, RoundVerdict verdict) {
    if (verdict instanceof RoundVerdict.Passed) {
      return verdict;
    }
    Duration late = Duration.between(l.due, l.started);
    if (late.compareTo(l.target.interval()) > 0) {
      return new RoundVerdict.Inconclusive(
          FaultKind.STARVED, "round started " + late.toMillis() + " ms late");
    }
    Duration took = Duration.between(l.started, clock.instant());
    if (took.compareTo(l.target.timeout().plus(Round.GUARD_GRACE)) > 0) {
      return new RoundVerdict.Inconclusive(
          FaultKind.STARVED, "round results handled " + took.toMillis() + " ms after it started");
    }
    return verdict;
  }

  private void changed(Line l, Health before, String reason) {
    Health after = l.tracker.health();
    view.put(l.target.line(), after);
    // The listener (the controller node that acts on it) logs each transition: once is enough when
    // a region fails and thousands arrive within a second.
    log.debug(
        "line={} health={} -> {} addresses={} reason={}",
        l.target.line(),
        before.label(),
        after.label(),
        hosts(l.target.addresses()),
        reason);
    HealthTransition t =
        new HealthTransition(
            l.target.line(), l.target.addresses(), before, after, clock.instant(), reason);
    try {
      listener.onTransition(t);
    } catch (RuntimeException e) {
      log.warn("line={} health listener failed on {} -> {}", t.line(), t.from(), t.to(), e);
    }
  }

  private static void notifyObserver(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("probe observer failed", e);
    }
  }

  private CompletableFuture<Void> submit(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      scheduler.execute(
          () -> {
            try {
              task.run();
              done.complete(null);
            } catch (RuntimeException e) {
              done.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new IllegalStateException("probe engine is closed", e));
    }
    return done;
  }

  /**
   * Hands a finished round to the engine thread. Probers finish rounds in bursts (a receiver reads
   * the answers that arrived during its last nap), so finished rounds queue up here and one task on
   * the scheduler runs all that are queued when it runs, instead of a scheduler task, a queue
   * insertion and a wake-up each.
   */
  private void postFinished(Runnable task) {
    finished.add(task);
    if (finishedPosted.compareAndSet(false, true)) {
      post(this::runFinished);
    }
  }

  private void runFinished() {
    // Cleared before the queue is read: a round queued after the last poll below posts again.
    finishedPosted.set(false);
    Runnable task;
    while ((task = finished.poll()) != null) {
      guarded(task).run();
    }
  }

  private void post(Runnable task) {
    try {
      scheduler.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      log.debug("probe engine: dropped a task, the scheduler is shutting down", e);
    }
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      if (state.get() == State.CLOSED) {
        return;
      }
      try {
        task.run();
      } catch (RejectedExecutionException e) {
        if (state.get() != State.CLOSED) {
          log.error("probe engine: task failed, probing of that line may have stopped", e);
          return;
        }
        // Closed while this task ran (a node stopping on a signal): its next round or guard timer
        // has nowhere to go, and none is wanted.
        log.debug("probe engine: task ended by close, nothing more scheduled", e);
      } catch (RuntimeException e) {
        log.error("probe engine: task failed, probing of that line may have stopped", e);
      }
    };
  }

  private static String hosts(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).toList().toString();
  }

  private static ScheduledExecutorService ownedScheduler() {
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "haddns-probe-engine");
              t.setDaemon(true);
              return t;
            });
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  /** Mutable per-line state, touched only on the engine thread. */
  private static final class Line {
    LineTarget target;
    HealthTracker tracker;
    long generation;
    boolean inFlight;
    Instant due;
    Instant started;
    ScheduledFuture<?> next;

    Line(LineTarget target, HealthTracker tracker) {
      this.target = target;
      this.tracker = tracker;
    }

    void cancelNext() {
      if (next != null) {
        next.cancel(false);
        next = null;
      }
    }
  }

  /** Builds a {@link ProbeEngine}; only the probers a configuration uses are needed. */
  public static final class Builder {
    private Prober icmp;
    private PortProber tcp;
    private HealthListener listener = t -> {};
    private ProbeObserver observer = ProbeObserver.NOOP;
    private InstantSource clock = InstantSource.system();
    private ScheduledExecutorService scheduler;

    private Builder() {}

    /** Used for {@link ProbeSpec.Icmp}; without it such probes fail with {@code error}. */
    public Builder icmp(Prober icmp) {
      this.icmp = Objects.requireNonNull(icmp, "icmp");
      return this;
    }

    /** Used for {@link ProbeSpec.Tcp}; without it such probes fail with {@code error}. */
    public Builder tcp(PortProber tcp) {
      this.tcp = Objects.requireNonNull(tcp, "tcp");
      return this;
    }

    public Builder listener(HealthListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder observer(ProbeObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A scheduler that runs one task at a time (e.g. {@code
     * Executors.newSingleThreadScheduledExecutor()}); the caller keeps ownership and shuts it down.
     * Without one the engine owns a single daemon thread.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      Objects.requireNonNull(scheduler, "scheduler");
      if (scheduler instanceof ScheduledThreadPoolExecutor p && p.getCorePoolSize() != 1) {
        throw new IllegalArgumentException(
            "scheduler must run one task at a time, has " + p.getCorePoolSize() + " threads");
      }
      this.scheduler = scheduler;
      return this;
    }

    public ProbeEngine build() {
      return new ProbeEngine(this);
    }
  }
}
