package io.haddns.controller.operate;

import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.config.ZoneConfig;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.IntentConflictException;
import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StepDownRequest;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.Versioned;
import io.haddns.controller.store.ZonePause;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator control plane without HTTP: line overrides, zone pauses, leader step-down and the
 * audit reader (docs/operations.md). Any node serves it, leader or not: mutations are written as
 * intents to the replicated state, compare-and-set, each with its audit event in the same
 * transaction, and the leader carries them out. A refused call ({@link Outcome.NotFound}, {@link
 * Outcome.Invalid}, {@link Outcome.Conflict}, {@link Outcome.Unavailable}) wrote nothing.
 *
 * <p>Calls block for at most one ZooKeeper round trip's timeout, except {@link #stepDown}, which
 * waits for the new term (at most {@link #STEP_DOWN_TIMEOUT}). Thread-safe.
 */
public final class OperatorApi {
  private static final Logger log = LoggerFactory.getLogger(OperatorApi.class);

  /** The longest override duration accepted. */
  public static final Duration MAX_OVERRIDE = Duration.ofDays(7);

  /** How long a step-down call waits for another node to begin a term. */
  public static final Duration STEP_DOWN_TIMEOUT = Duration.ofSeconds(15);

  /** How long, past the new term, a step-down to a named node waits for that node to lead. */
  public static final Duration TARGET_TIMEOUT = Duration.ofSeconds(10);

  private static final int MAX_REASON = 500;

  private final HaddnsConfig config;
  private final IntentStore intents;
  private final StateStore store;
  private final Supplier<Optional<String>> termHolder;
  private final AuditReader audit;
  private final Waiter waiter;
  private final InstantSource clock;
  private final AtomicLong requests = new AtomicLong();
  private final Function<String, Optional<String>> drilled;

  /**
   * @param termHolder the node that began the latest term this node has seen in ZooKeeper
   */
  public OperatorApi(
      HaddnsConfig config,
      IntentStore intents,
      StateStore store,
      Supplier<Optional<String>> termHolder,
      AuditReader audit,
      Waiter waiter,
      InstantSource clock) {
    this(config, intents, store, termHolder, audit, waiter, clock, line -> Optional.empty());
  }

  /**
   * @param drilled the id of the drill failing a line now, if any: such a line's override is
   *     refused (a conflict) until the drill has ended
   */
  public OperatorApi(
      HaddnsConfig config,
      IntentStore intents,
      StateStore store,
      Supplier<Optional<String>> termHolder,
      AuditReader audit,
      Waiter waiter,
      InstantSource clock,
      Function<String, Optional<String>> drilled) {
    this.drilled = drilled;
    this.config = config;
    this.intents = intents;
    this.store = store;
    this.termHolder = termHolder;
    this.audit = audit;
    this.waiter = waiter;
    this.clock = clock;
  }

  /**
   * Forces {@code line} down (drained) for {@code duration}, or until cleared when it is null; the
   * leader moves its records away within one reconcile. Replaces the line's override, if any.
   */
  public Outcome<LineOverride> drain(String line, Duration duration, String reason, Caller who) {
    return override(line, LineOverride.Forced.DOWN, duration, reason, who);
  }

  /** Forces {@code line} up, whatever its probes say; otherwise like {@link #drain}. */
  public Outcome<LineOverride> forceUp(String line, Duration duration, String reason, Caller who) {
    return override(line, LineOverride.Forced.UP, duration, reason, who);
  }

  private Outcome<LineOverride> override(
      String line, LineOverride.Forced forced, Duration duration, String reason, Caller who) {
    if (config.line(line).isEmpty()) {
      return new Outcome.NotFound<>("line", line);
    }
    if (duration != null && (!duration.isPositive() || duration.compareTo(MAX_OVERRIDE) > 0)) {
      return new Outcome.Invalid<>(
          "duration", "must be more than 0 and at most " + MAX_OVERRIDE + ", was " + duration);
    }
    Optional<Outcome<LineOverride>> badReason = checkReason(reason);
    if (badReason.isPresent()) {
      return badReason.get();
    }
    Optional<String> drill = drilled.apply(line);
    if (drill.isPresent()) {
      return new Outcome.Conflict<>(
          "line " + line + " is under drill " + drill.get() + "; abort the drill first");
    }
    Instant now = clock.instant();
    LineOverride o =
        new LineOverride(
            line, forced, reason, who.name(), now, Optional.ofNullable(duration).map(now::plus));
    Versioned<LineOverride> before = intents.overrides().get(line);
    String detail =
        "line="
            + line
            + " state="
            + forced.label()
            + " until="
            + o.until().map(Instant::toString).orElse("cleared")
            + by(who)
            + " reason="
            + quoted(o.reason());
    return write(
        () -> intents.putOverride(o, version(before), event("override-set", detail)),
        o,
        "line=" + line + " override " + forced.label());
  }

  /** Removes the override of {@code line}; done with false when there was none (idempotent). */
  public Outcome<Boolean> clear(String line, Caller who) {
    if (config.line(line).isEmpty()) {
      return new Outcome.NotFound<>("line", line);
    }
    Versioned<LineOverride> before = intents.overrides().get(line);
    if (before == null) {
      return new Outcome.Done<>(false);
    }
    String detail =
        "line=" + line + " state=" + before.value().forced().label() + " cleared" + by(who);
    return write(
        () -> intents.removeOverride(line, before.version(), event("override-cleared", detail)),
        true,
        "line=" + line + " override cleared");
  }

  /** Pauses writes and drift repair of {@code zone}; replaces the reason of an existing pause. */
  public Outcome<ZonePause> pause(String zone, String reason, Caller who) {
    if (!knownZone(zone)) {
      return new Outcome.NotFound<>("zone", zone);
    }
    Optional<Outcome<ZonePause>> badReason = checkReason(reason);
    if (badReason.isPresent()) {
      return badReason.get();
    }
    ZonePause p = new ZonePause(zone, reason, who.name(), clock.instant());
    Versioned<ZonePause> before = intents.pauses().get(zone);
    String detail = "zone=" + zone + " paused" + by(who) + " reason=" + quoted(p.reason());
    return write(
        () -> intents.putPause(p, version(before), event("zone-paused", detail)),
        p,
        "zone=" + zone + " paused");
  }

  /** Resumes {@code zone}: the leader reads it back and reconciles at once. False if not paused. */
  public Outcome<Boolean> resume(String zone, Caller who) {
    if (!knownZone(zone)) {
      return new Outcome.NotFound<>("zone", zone);
    }
    Versioned<ZonePause> before = intents.pauses().get(zone);
    if (before == null) {
      return new Outcome.Done<>(false);
    }
    String detail = "zone=" + zone + " resumed" + by(who);
    return write(
        () -> intents.removePause(zone, before.version(), event("zone-resumed", detail)),
        true,
        "zone=" + zone + " resumed");
  }

  /**
   * Asks the leader to yield, to node {@code to} if given (best effort: see docs/operations.md),
   * and waits for another node's term. Refused when no leader is known, when there is no other live
   * node, or when {@code to} is not a live member or already leads.
   */
  public Outcome<StepDownResult> stepDown(Optional<String> to, Caller who) {
    long epoch = store.currentEpoch();
    Optional<String> leader = termHolder.get();
    var live = store.members().stream().map(MemberInfo::nodeId).toList();
    if (epoch == 0 || leader.isEmpty() || !live.contains(leader.get())) {
      return new Outcome.Unavailable<>("no leader at the moment: an election is under way");
    }
    if (to.isPresent()) {
      if (!live.contains(to.get())) {
        return new Outcome.NotFound<>("node", to.get());
      }
      if (to.get().equals(leader.get())) {
        return new Outcome.Invalid<>("to", to.get() + " already leads");
      }
    }
    if (live.size() < 2) {
      return new Outcome.Conflict<>("no other live node to take over");
    }
    Instant start = clock.instant();
    StepDownRequest r =
        new StepDownRequest(
            config.node().id() + "-" + start.toEpochMilli() + "-" + requests.incrementAndGet(),
            epoch,
            to,
            who.name(),
            start);
    String detail =
        "leader=" + leader.get() + " epoch=" + epoch + " to=" + to.orElse("any") + by(who);
    try {
      intents.requestStepDown(r, event("step-down", detail));
    } catch (StoreUnavailableException e) {
      return new Outcome.Unavailable<>(e.getMessage());
    }
    log.info(
        "leader={} epoch={} step-down requested to={} by={}",
        leader.get(),
        epoch,
        to.orElse("any"),
        who.name());
    if (!waiter.await(() -> store.currentEpoch() > epoch, STEP_DOWN_TIMEOUT)) {
      clearQuietly(r);
      return new Outcome.Unavailable<>(
          "no other node began a term within " + STEP_DOWN_TIMEOUT + "; the request was withdrawn");
    }
    Duration handOver = Duration.between(start, clock.instant());
    if (to.isPresent()) {
      waiter.await(
          () -> termHolder.get().equals(to) && store.currentEpoch() > epoch, TARGET_TIMEOUT);
    }
    return new Outcome.Done<>(
        new StepDownResult(
            leader.get(), termHolder.get().orElse(""), store.currentEpoch(), handOver));
  }

  /** A page of the audit trail. */
  public Outcome<AuditPage> audit(AuditQuery query) {
    try {
      return audit.page(query);
    } catch (StoreUnavailableException e) {
      return new Outcome.Unavailable<>(e.getMessage());
    }
  }

  /** The audit events matching {@code query} as NDJSON, newest first; done with the count. */
  public Outcome<Integer> exportAudit(AuditQuery query, OutputStream out) throws IOException {
    try {
      return audit.exportNdjson(query, out);
    } catch (StoreUnavailableException e) {
      return new Outcome.Unavailable<>(e.getMessage());
    }
  }

  /** The intents as this node sees them. */
  public OperatorStatus status() {
    Instant now = clock.instant();
    return new OperatorStatus(
        intents.overrides().values().stream()
            .map(Versioned::value)
            .filter(o -> o.activeAt(now))
            .sorted(Comparator.comparing(LineOverride::line))
            .toList(),
        intents.pauses().values().stream()
            .map(Versioned::value)
            .sorted(Comparator.comparing(ZonePause::zone))
            .toList(),
        intents.stepDown());
  }

  @FunctionalInterface
  private interface IntentWrite {
    void run() throws IntentConflictException;
  }

  private <T> Outcome<T> write(IntentWrite write, T value, String what) {
    try {
      write.run();
    } catch (IntentConflictException e) {
      return new Outcome.Conflict<>(e.getMessage());
    } catch (StoreUnavailableException e) {
      return new Outcome.Unavailable<>(e.getMessage());
    }
    log.info("{}", what);
    return new Outcome.Done<>(value);
  }

  private void clearQuietly(StepDownRequest r) {
    try {
      intents.clearStepDown(r.id());
    } catch (StoreUnavailableException e) {
      log.warn("step-down id={} not withdrawn: {}", r.id(), e.getMessage());
    }
  }

  private boolean knownZone(String zone) {
    return config.zones().stream().map(ZoneConfig::name).anyMatch(zone::equals);
  }

  private static <T> Optional<Outcome<T>> checkReason(String reason) {
    if (reason == null || reason.isBlank()) {
      return Optional.of(new Outcome.Invalid<>("reason", "is required"));
    }
    if (reason.length() > MAX_REASON) {
      return Optional.of(
          new Outcome.Invalid<>("reason", "must be at most " + MAX_REASON + " characters"));
    }
    if (reason.chars().anyMatch(Character::isISOControl)) {
      return Optional.of(new Outcome.Invalid<>("reason", "must not contain control characters"));
    }
    return Optional.empty();
  }

  private static int version(Versioned<?> before) {
    return before == null ? Versioned.ABSENT : before.version();
  }

  private static String by(Caller who) {
    return " by=" + who.name() + " source=" + who.source();
  }

  private static String quoted(String reason) {
    return "\"" + reason.replace("\"", "'") + "\"";
  }

  private AuditEvent event(String kind, String detail) {
    return new AuditEvent(clock.instant(), config.node().id(), kind, detail);
  }

  /** The names of the configured lines, for callers listing what may be overridden. */
  public java.util.List<String> lines() {
    return config.lines().stream().map(LineConfig::name).toList();
  }
}
