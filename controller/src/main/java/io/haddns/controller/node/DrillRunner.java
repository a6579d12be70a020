package io.haddns.controller.node;

import io.haddns.controller.config.DrillsConfig;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.plan.Change;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.reconcile.ApplyVerification;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.Drill.Phase;
import io.haddns.controller.store.Drill.RecordTiming;
import io.haddns.controller.store.Drill.Step;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.store.DrillStore;
import io.haddns.controller.store.IntentConflictException;
import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StepDownRequest;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.Versioned;
import io.haddns.controller.verify.RecordAnswers;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The leader's side of failover drills (docs/operations.md, "Failover drills"): injects the failure
 * a drill asks for, stamps its timeline, watches the authoritative servers until the records moved
 * and came back, withdraws the failure at its end or on abort, and writes the report. Every step is
 * written to the drill's node, fenced by the term, so the next leader resumes or rolls back a drill
 * whose leader was lost; and a failure is only in force while its drill says so and its duration
 * lasts ({@link Drill#failingAt}), so a line is never left forced down.
 *
 * <p>Threading: its work runs on its own thread; {@link #overlay}, {@link #failing} and {@link
 * #applied} are safe from any thread.
 */
public final class DrillRunner implements ApplyVerification, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DrillRunner.class);

  /** How often a running drill is looked at (and the authoritative servers asked). */
  static final Duration TICK = Duration.ofMillis(20);

  /** How long, past a leader drill's injection, its hand-over may take before it fails. */
  static final Duration HAND_OVER_LIMIT = Duration.ofSeconds(60);

  /** How long a request may wait for a leader to take it up before it lapses unrun. */
  static final Duration REQUEST_LIMIT = Duration.ofSeconds(60);

  /** How long after restoring the records may take to come back before the drill fails. */
  static final Duration BACK_LIMIT = Duration.ofSeconds(60);

  /** The node a runner works for. */
  public interface Leader {
    /** The epoch this node leads with, or 0. */
    long epoch();

    /** What probes say of every line (no overrides, no drills). */
    Map<String, LineState> probedLineStates();

    /** Reconciles every zone now. */
    void reconcile(String why);

    /** Reads back and reconciles one zone now. */
    void resync(String zone, String why);

    /** A fenced write found the term over. */
    void termLost(String why);
  }

  private final HaddnsConfig config;
  private final DrillsConfig settings;
  private final DrillStore drills;
  private final IntentStore intents;
  private final StateStore store;
  private final RecordAnswers answers;
  private final InstantSource clock;
  private final Runnable halt;
  private final Consumer<String> outageOver;
  private final ScheduledExecutorService worker;
  private final Map<String, RecordConfig> recordsByLabel = new HashMap<>();
  private final AtomicBoolean ticking = new AtomicBoolean();
  private volatile Leader leader;

  /** Steps seen in memory before they are written: detected, decided, written, by drill id. */
  private final Map<String, Map<Step, Instant>> seen = new ConcurrentHashMap<>();

  /** The last version this node wrote of a drill, newer than the view until it catches up. */
  private volatile Versioned<Drill> written;

  private long termBegan;
  private Instant termBeganAt;

  /**
   * @param halt stops this process at once, without closing anything (a {@code leader-crash} drill)
   */
  public DrillRunner(
      HaddnsConfig config,
      DrillStore drills,
      IntentStore intents,
      StateStore store,
      RecordAnswers answers,
      InstantSource clock,
      Runnable halt) {
    this(config, drills, intents, store, answers, clock, halt, zone -> {});
  }

  /**
   * @param halt stops this process at once, without closing anything (a {@code leader-crash} drill)
   * @param outageOver told, with the zone, when a {@code provider-outage} drill's failure is
   *     withdrawn, before the zone is read back: the failures it injected say nothing about the
   *     backend, so e.g. a circuit breaker they opened is closed again
   */
  public DrillRunner(
      HaddnsConfig config,
      DrillStore drills,
      IntentStore intents,
      StateStore store,
      RecordAnswers answers,
      InstantSource clock,
      Runnable halt,
      Consumer<String> outageOver) {
    this(
        config,
        drills,
        intents,
        store,
        answers,
        clock,
        halt,
        outageOver,
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "haddns-drills");
              t.setDaemon(true);
              return t;
            }));
  }

  /** With its work run on {@code worker} (tests pass a stopped one and call {@link #step}). */
  DrillRunner(
      HaddnsConfig config,
      DrillStore drills,
      IntentStore intents,
      StateStore store,
      RecordAnswers answers,
      InstantSource clock,
      Runnable halt,
      Consumer<String> outageOver,
      ScheduledExecutorService worker) {
    this.outageOver = outageOver;
    this.config = config;
    this.settings = config.drills();
    this.drills = drills;
    this.intents = intents;
    this.store = store;
    this.answers = answers;
    this.clock = clock;
    this.halt = halt;
    config.records().forEach(r -> recordsByLabel.put(r.key().toString(), r));
    this.worker = worker;
  }

  /** Binds the node; drills start being run once it leads. */
  void bind(Leader node) {
    this.leader = node;
    drills.addDrillListener(this::kick, this::submit);
  }

  /** This node's term changed ({@code epoch} 0: not leading). */
  void termChanged(long epoch) {
    Instant at = clock.instant();
    submit(() -> termBegan(epoch, at));
  }

  /** On the worker: this node's term is {@code epoch} (0: none) since {@code at}. */
  void termBegan(long epoch, Instant at) {
    if (epoch != termBegan) {
      termBegan = epoch;
      termBeganAt = at;
      written = null;
      seen.clear();
    }
    kick();
  }

  /**
   * {@code lines} with the line of every {@code line-failure} drill in force counted as down, its
   * addresses kept: the probes of that line only are overridden.
   */
  Map<String, LineState> overlay(Map<String, LineState> lines) {
    Map<String, Versioned<Drill>> all = current();
    if (all.isEmpty()) {
      return lines;
    }
    Instant now = clock.instant();
    Map<String, LineState> out = null;
    for (Versioned<Drill> v : all.values()) {
      Drill d = v.value();
      if (d.kind() != DrillKind.LINE_FAILURE || !d.failingAt(now) || d.line().isEmpty()) {
        continue;
      }
      LineState l = lines.get(d.line().get());
      if (l == null) {
        continue;
      }
      if (out == null) {
        out = new HashMap<>(lines);
      }
      out.put(l.line(), new LineState(l.line(), Health.DOWN, l.addresses()));
      Leader node = leader;
      if (node != null && node.epoch() != 0) {
        note(d.id(), Step.DETECTED, now);
      }
    }
    return out == null ? lines : out;
  }

  /**
   * The drill rehearsing an outage of {@code zone}'s provider, if one is in force now: the
   * provider's calls must fail. The first failed call is the drill's detection.
   */
  public Optional<String> failing(String zone) {
    Instant now = clock.instant();
    for (Versioned<Drill> v : current().values()) {
      Drill d = v.value();
      if (d.kind() == DrillKind.PROVIDER_OUTAGE
          && d.zone().map(zone::equals).orElse(false)
          && d.failingAt(now)) {
        note(d.id(), Step.DETECTED, now);
        return Optional.of(d.id());
      }
    }
    return Optional.empty();
  }

  /** A successful provider call of {@code zone}: after an outage drill, its first is a write. */
  public void succeeded(String zone) {
    for (Versioned<Drill> v : current().values()) {
      Drill d = v.value();
      if (d.kind() == DrillKind.PROVIDER_OUTAGE
          && d.zone().map(zone::equals).orElse(false)
          && d.phase() == Phase.RESTORED) {
        note(d.id(), Step.WRITTEN, clock.instant());
      }
    }
  }

  @Override
  public void applied(String zone, List<Change> changes, Instant appliedAt) {
    Instant now = clock.instant();
    for (Versioned<Drill> v : current().values()) {
      Drill d = v.value();
      if (d.kind() != DrillKind.LINE_FAILURE || d.phase() != Phase.INJECTED) {
        continue;
      }
      Set<String> moved = new HashSet<>();
      changes.forEach(c -> moved.add(c.key().toString()));
      boolean ours = d.records().stream().anyMatch(r -> moved.contains(r.record()));
      if (ours) {
        note(d.id(), Step.DECIDED, appliedAt);
        note(d.id(), Step.WRITTEN, now);
      }
    }
  }

  /**
   * The drills as the view shows them, with this node's last write in place of the view's older
   * version: a reconcile triggered right after a write must see it.
   */
  private Map<String, Versioned<Drill>> current() {
    Map<String, Versioned<Drill>> view = drills.drills();
    Versioned<Drill> mine = written;
    if (mine == null) {
      return view;
    }
    Versioned<Drill> seenThere = view.get(mine.value().id());
    if (seenThere == null || seenThere.version() >= mine.version()) {
      return view;
    }
    Map<String, Versioned<Drill>> out = new HashMap<>(view);
    out.put(mine.value().id(), mine);
    return out;
  }

  private void note(String id, Step step, Instant at) {
    seen.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).putIfAbsent(step, at);
  }

  private void submit(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("drill task dropped: stopping");
    }
  }

  /** Looks at the running drill now and keeps looking every {@link #TICK} while one runs. */
  private void kick() {
    if (ticking.compareAndSet(false, true)) {
      submit(this::tick);
    }
  }

  private void tick() {
    ticking.set(false);
    boolean again;
    try {
      again = step();
    } catch (StoreUnavailableException e) {
      log.warn("drill step not written: {}", e.getMessage());
      again = true;
    } catch (RuntimeException e) {
      log.error("drill step failed", e);
      again = true;
    }
    if (again && ticking.compareAndSet(false, true)) {
      try {
        worker.schedule(this::tick, TICK.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("drill ticks stopped");
      }
    }
  }

  /**
   * One step of the running drill, on the worker; true while there is more to do. What it logs
   * carries the drill's id as the {@code drill} field of JSON logs (docs/operations.md, "Logs").
   */
  @SuppressWarnings("try") // the try-with-resources resource is an MDC scope, never read
  boolean step() {
    Leader node = leader;
    long epoch = node == null ? 0 : node.epoch();
    if (epoch == 0) {
      return false;
    }
    Optional<Versioned<Drill>> running = running();
    if (running.isEmpty()) {
      trim(epoch);
      return false;
    }
    Versioned<Drill> v = running.get();
    Drill d = v.value();
    Instant now = clock.instant();
    try (var drillField = MDC.putCloseable("drill", d.id())) {
      switch (d.phase()) {
        case REQUESTED -> {
          if (d.abortedBy().isPresent()) {
            end(epoch, v, d, now);
          } else if (now.isAfter(d.at(Step.STARTED).orElse(now).plus(REQUEST_LIMIT))) {
            // Injected late, a drill would run at a time nobody chose: it lapses unrun.
            end(
                epoch,
                v,
                d.withNote("no leader took it up within " + REQUEST_LIMIT + "; not run")
                    .withAbort("expiry"),
                now);
          } else {
            inject(node, epoch, v, d, now);
          }
        }
        case INJECTED -> {
          if (d.kind().movesLeadership()) {
            return followHandOver(epoch, v, d, now);
          }
          if (!d.failingAt(now)) {
            restore(node, epoch, v, d, now);
          } else if (d.kind() == DrillKind.LINE_FAILURE) {
            watchMoved(epoch, v, d, now);
          } else {
            save(epoch, v, withSeen(d), null);
          }
        }
        case RESTORED -> watchBack(epoch, v, d, now);
        case ENDED -> {
          return false;
        }
      }
    } catch (NotLeaderException e) {
      node.termLost("drill " + d.id() + ": " + e.getMessage());
      return false;
    } catch (IntentConflictException e) {
      log.debug("drill id={} changed meanwhile: {}", d.id(), e.getMessage());
    }
    return true;
  }

  /** The running drill, in its newest version this node knows. */
  private Optional<Versioned<Drill>> running() {
    Optional<Versioned<Drill>> viewed =
        drills.drills().values().stream().filter(v -> v.value().running()).findFirst();
    Versioned<Drill> mine = written;
    if (mine != null && viewed.isPresent() && mine.value().id().equals(viewed.get().value().id())) {
      if (mine.version() > viewed.get().version()) {
        // An abort asked since cannot be newer than what the view shows: keep it.
        Drill d = mine.value();
        if (viewed.get().value().abortedBy().isPresent() && d.abortedBy().isEmpty()) {
          return viewed;
        }
        return Optional.of(mine);
      }
    }
    return viewed;
  }

  private void inject(Leader node, long epoch, Versioned<Drill> v, Drill d, Instant now)
      throws NotLeaderException, IntentConflictException {
    switch (d.kind()) {
      case LINE_FAILURE -> {
        String line = d.line().orElseThrow();
        LineState state = node.probedLineStates().get(line);
        Set<InetAddress> lineAddresses =
            state == null ? Set.of() : new HashSet<>(state.addresses());
        List<RecordTiming> timings = new ArrayList<>();
        for (RecordConfig r : config.records()) {
          if (!r.lines().contains(line)) {
            continue;
          }
          Set<InetAddress> before = agreed(r).orElse(Set.of());
          if (before.stream().anyMatch(lineAddresses::contains)) {
            timings.add(
                new RecordTiming(
                    r.key().toString(),
                    r.zone(),
                    labels(before),
                    Optional.empty(),
                    Optional.empty()));
          }
        }
        Drill next =
            d.advanced(Phase.INJECTED, Step.INJECTED, now).withEpoch(epoch).withRecords(timings);
        if (timings.isEmpty()) {
          next = next.withNote("line " + line + " served no record when the drill began");
        }
        save(epoch, v, next, null);
        log.info(
            "drill id={} line={} failure injected for {} records={}",
            d.id(),
            line,
            d.duration().orElseThrow(),
            timings.size());
        node.reconcile("drill " + d.id());
      }
      case PROVIDER_OUTAGE -> {
        String zone = d.zone().orElseThrow();
        List<RecordTiming> timings = new ArrayList<>();
        for (RecordConfig r : config.records()) {
          if (r.zone().equals(zone)) {
            timings.add(
                new RecordTiming(
                    r.key().toString(),
                    zone,
                    labels(agreed(r).orElse(Set.of())),
                    Optional.empty(),
                    Optional.empty()));
          }
        }
        save(
            epoch,
            v,
            d.advanced(Phase.INJECTED, Step.INJECTED, now).withEpoch(epoch).withRecords(timings),
            null);
        log.info("drill id={} zone={} provider outage for {}", d.id(), zone, d.duration());
        node.resync(zone, "drill " + d.id());
      }
      case LEADER_FAILOVER -> {
        save(epoch, v, d.advanced(Phase.INJECTED, Step.INJECTED, now).withEpoch(epoch), null);
        log.info("drill id={} leader failover: epoch={} steps down", d.id(), epoch);
        intents.requestStepDown(
            new StepDownRequest(d.id(), epoch, Optional.empty(), d.by(), now),
            event("step-down", "drill=" + d.id() + " leader epoch=" + epoch + " by=" + d.by()));
      }
      case LEADER_CRASH -> {
        if (!settings.allowLeaderCrash()) {
          save(
              epoch,
              v,
              d.withNote("leader-crash drills are not enabled (drills.allowLeaderCrash)")
                  .withAbort("configuration")
                  .ended(now),
              event("drill-ended", describe(d) + " verdict=aborted (leader crash not enabled)"));
          return;
        }
        save(epoch, v, d.advanced(Phase.INJECTED, Step.INJECTED, now).withEpoch(epoch), null);
        log.warn("drill id={} leader crash: node={} halts now", d.id(), config.node().id());
        halt.run();
      }
    }
  }

  /**
   * A leader drill after its injection: the next leader stamps its own term's beginning as the
   * detection and ends it; the old leader, still leading past the limit, ends it failed.
   */
  private boolean followHandOver(long epoch, Versioned<Drill> v, Drill d, Instant now)
      throws NotLeaderException, IntentConflictException {
    if (epoch > d.epoch()) {
      Instant began = termBeganAt != null && termBegan == epoch ? termBeganAt : now;
      Drill done =
          d.stamped(Step.DETECTED, began)
              .stamped(Step.DECIDED, began)
              .withNote("node " + config.node().id() + " took over with epoch " + epoch);
      end(epoch, v, done, now);
      return false;
    }
    if (now.isAfter(d.at(Step.INJECTED).orElse(now).plus(HAND_OVER_LIMIT))) {
      end(epoch, v, d.withNote("no other node took over within " + HAND_OVER_LIMIT), now);
      return false;
    }
    return true;
  }

  private void watchMoved(long epoch, Versioned<Drill> v, Drill d, Instant now)
      throws NotLeaderException, IntentConflictException {
    Set<String> lineAddresses = new HashSet<>();
    d.line()
        .map(l -> leader.probedLineStates().get(l))
        .ifPresent(s -> s.addresses().forEach(a -> lineAddresses.add(a.getHostAddress())));
    List<RecordTiming> next = new ArrayList<>();
    List<String> late = new ArrayList<>();
    for (RecordTiming r : d.records()) {
      if (r.visible().isEmpty() && moved(r, lineAddresses)) {
        next.add(r.withVisible(clock.instant()));
        if (d.epoch() != epoch) {
          late.add(r.record());
        }
      } else {
        next.add(r);
      }
    }
    if (next.equals(d.records())) {
      return;
    }
    Drill updated = withSeen(d.withRecords(next));
    for (String record : late) {
      // The leader that injected the failure was lost before it recorded the move.
      updated =
          updated.withNote(
              record
                  + " was first seen moved by "
                  + config.node().id()
                  + " after taking over (epoch "
                  + epoch
                  + "): its time is an upper bound");
    }
    boolean all = next.stream().allMatch(r -> r.visible().isPresent());
    if (all) {
      Instant last =
          next.stream()
              .map(r -> r.visible().orElseThrow())
              .max(Comparator.naturalOrder())
              .orElse(now);
      updated = updated.stamped(Step.VISIBLE, last);
    }
    save(epoch, v, updated, null);
    if (all) {
      log.info(
          "drill id={} records moved off line={}: visible at every authoritative server",
          d.id(),
          d.line().orElse("?"));
    }
  }

  private void restore(Leader node, long epoch, Versioned<Drill> v, Drill d, Instant now)
      throws NotLeaderException, IntentConflictException {
    Drill next = withSeen(d).advanced(Phase.RESTORED, Step.RESTORED, now);
    save(epoch, v, next, null);
    log.info(
        "drill id={} failure withdrawn{}",
        d.id(),
        d.abortedBy().map(a -> " (aborted by " + a + ")").orElse(""));
    if (d.kind() == DrillKind.PROVIDER_OUTAGE) {
      outageOver.accept(d.zone().orElseThrow());
      node.resync(d.zone().orElseThrow(), "drill " + d.id() + " restored");
    } else {
      node.reconcile("drill " + d.id() + " restored");
    }
  }

  private void watchBack(long epoch, Versioned<Drill> v, Drill d, Instant now)
      throws NotLeaderException, IntentConflictException {
    boolean calledAgain =
        d.kind() != DrillKind.PROVIDER_OUTAGE
            || seenStep(d.id(), Step.WRITTEN)
            || d.at(Step.WRITTEN).isPresent();
    List<RecordTiming> next = new ArrayList<>();
    boolean changed = false;
    for (RecordTiming r : d.records()) {
      if (calledAgain && r.back().isEmpty() && cameBack(d.kind(), r)) {
        next.add(r.withBack(clock.instant()));
        changed = true;
      } else {
        next.add(r);
      }
    }
    Drill updated = withSeen(d.withRecords(next));
    boolean allBack = calledAgain && next.stream().allMatch(r -> r.back().isPresent());
    if (allBack) {
      Instant last =
          next.stream().map(r -> r.back().orElseThrow()).max(Comparator.naturalOrder()).orElse(now);
      end(epoch, v, updated.stamped(Step.BACK_VISIBLE, last), now);
      return;
    }
    Instant restored = d.at(Step.RESTORED).orElse(now);
    if (now.isAfter(restored.plus(d.objective()).plus(BACK_LIMIT))) {
      end(epoch, v, updated.withNote("not back within " + BACK_LIMIT + " past the objective"), now);
      return;
    }
    if (changed || !updated.equals(d)) {
      save(epoch, v, updated, null);
    }
  }

  private void end(long epoch, Versioned<Drill> v, Drill d, Instant now)
      throws NotLeaderException, IntentConflictException {
    // Ended when the report is written: after every step seen while this one ran (the servers'
    // answers are stamped as they come, later than the step's start).
    Instant at = clock.instant();
    Drill report = withSeen(d).ended(at.isBefore(now) ? now : at);
    String verdict = report.verdict().map(Drill.Verdict::label).orElse("?");
    String rto = report.recoveryTime().map(t -> " rto=" + t.toMillis() + "ms").orElse(" rto=none");
    save(epoch, v, report, event("drill-ended", describe(report) + " verdict=" + verdict + rto));
    seen.remove(d.id());
    log.info("drill id={} ended verdict={}{} notes={}", d.id(), verdict, rto, report.notes());
  }

  private Drill withSeen(Drill d) {
    Map<Step, Instant> s = seen.get(d.id());
    if (s == null) {
      return d;
    }
    Drill out = d;
    Map<Step, Instant> ordered = new EnumMap<>(s);
    for (Map.Entry<Step, Instant> e : ordered.entrySet()) {
      out = out.stamped(e.getKey(), e.getValue());
    }
    return out;
  }

  private boolean seenStep(String id, Step step) {
    Map<Step, Instant> s = seen.get(id);
    return s != null && s.containsKey(step);
  }

  private void save(long epoch, Versioned<Drill> v, Drill next, AuditEvent event)
      throws NotLeaderException, IntentConflictException {
    if (next.equals(v.value()) && event == null) {
      return;
    }
    drills.advance(epoch, next, v.version(), event);
    written = new Versioned<>(next, v.version() + 1);
  }

  /** Removes the oldest ended reports beyond {@code drills.keep} or {@code drills.maxAge}. */
  private void trim(long epoch) {
    Instant oldest = clock.instant().minus(settings.maxAge());
    List<Versioned<Drill>> ended =
        drills.drills().values().stream()
            .filter(v -> !v.value().running())
            .sorted(
                Comparator.comparing(
                        (Versioned<Drill> v) -> v.value().at(Step.STARTED).orElse(Instant.EPOCH))
                    .reversed())
            .toList();
    for (int i = 0; i < ended.size(); i++) {
      Versioned<Drill> v = ended.get(i);
      Instant at = v.value().at(Step.STARTED).orElse(Instant.EPOCH);
      if (i < settings.keep() && !at.isBefore(oldest)) {
        continue;
      }
      try {
        drills.remove(epoch, v.value().id(), v.version());
        log.info("drill id={} report removed (retention)", v.value().id());
      } catch (NotLeaderException | IntentConflictException | StoreUnavailableException e) {
        log.debug("drill id={} report not removed: {}", v.value().id(), e.getMessage());
        return;
      }
    }
  }

  /** Whether every authoritative server answers {@code r} without any of the line's addresses. */
  private boolean moved(RecordTiming r, Set<String> lineAddresses) {
    RecordConfig rc = recordsByLabel.get(r.record());
    if (rc == null) {
      return false;
    }
    Optional<List<Set<InetAddress>>> got = answers.ask(rc.zone(), rc.key());
    return got.isPresent()
        && !got.get().isEmpty()
        && got.get().stream()
            .allMatch(s -> s.stream().noneMatch(a -> lineAddresses.contains(a.getHostAddress())));
  }

  /**
   * Whether every authoritative server answers {@code r} as it should now: as before a line drill;
   * after a provider outage, as the leader last applied it (the zone converged, even when a line
   * changed meanwhile).
   */
  private boolean cameBack(DrillKind kind, RecordTiming r) {
    RecordConfig rc = recordsByLabel.get(r.record());
    if (rc == null) {
      return true;
    }
    Set<String> expected = new HashSet<>(r.before());
    if (kind == DrillKind.PROVIDER_OUTAGE) {
      AppliedRecord applied = store.applied().get(rc.key());
      expected =
          applied == null
              ? Set.of()
              : new HashSet<>(labels(new HashSet<>(applied.record().addresses())));
    }
    Set<String> want = expected;
    Optional<List<Set<InetAddress>>> got = answers.ask(rc.zone(), rc.key());
    return got.isPresent()
        && !got.get().isEmpty()
        && got.get().stream().allMatch(s -> new HashSet<>(labels(s)).equals(want));
  }

  /** The answer every authoritative server agrees on, else the applied state's. */
  private Optional<Set<InetAddress>> agreed(RecordConfig r) {
    Optional<List<Set<InetAddress>>> got = answers.ask(r.zone(), r.key());
    if (got.isPresent() && !got.get().isEmpty() && new HashSet<>(got.get()).size() == 1) {
      return Optional.of(got.get().getFirst());
    }
    AppliedRecord applied = store.applied().get(r.key());
    return applied == null
        ? Optional.empty()
        : Optional.of(new HashSet<>(applied.record().addresses()));
  }

  private static List<String> labels(Set<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).sorted().toList();
  }

  private static String describe(Drill d) {
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("drill", d.id());
    parts.put("kind", d.kind().label());
    d.line().ifPresent(l -> parts.put("line", l));
    d.zone().ifPresent(z -> parts.put("zone", z));
    StringBuilder sb = new StringBuilder();
    parts.forEach((k, val) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(val));
    return sb.toString();
  }

  private AuditEvent event(String type, String detail) {
    return new AuditEvent(clock.instant(), config.node().id(), type, detail);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
