package io.haddns.controller.operate;

import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.haddns.controller.store.DrillStore;
import io.haddns.controller.store.IntentConflictException;
import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.Versioned;
import io.haddns.probe.Health;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover drills without HTTP (docs/operations.md, "Failover drills"): any node checks a request
 * against the guard rails and writes it, with its audit event, as an intent the leader runs; an
 * abort is written the same way; reports are read from the replicated view. Thread-safe.
 */
public final class DrillApi {
  private static final Logger log = LoggerFactory.getLogger(DrillApi.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private static final int ABORT_ATTEMPTS = 5;
  private static final Duration ABORT_VIEW_WAIT = Duration.ofSeconds(2);

  /** The longest objective accepted. */
  public static final Duration MAX_RTO = Duration.ofHours(1);

  private final HaddnsConfig config;
  private final DrillStore drills;
  private final IntentStore intents;
  private final StateStore store;
  private final AuditReader audit;
  private final InstantSource clock;
  private final Waiter waiter;
  private final DrillPreflight preflight;
  private final AtomicLong requests = new AtomicLong();

  public DrillApi(
      HaddnsConfig config,
      DrillStore drills,
      IntentStore intents,
      StateStore store,
      AuditReader audit,
      Waiter waiter,
      InstantSource clock) {
    this.waiter = waiter;
    this.config = config;
    this.drills = drills;
    this.intents = intents;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.preflight = new DrillPreflight(config);
  }

  /**
   * Checks {@code request} (fields, names, guard rails) and, when nothing stands in the way, starts
   * it.
   */
  public DrillStart start(DrillRequest request, Caller who) {
    Optional<Outcome<Drill>> bad = validate(request);
    if (bad.isPresent()) {
      return new DrillStart.NotStarted(bad.get());
    }
    int parentVersion = drills.drillsVersion();
    Optional<DrillPreflight.Snapshot> snapshot = snapshot();
    if (snapshot.isEmpty()) {
      return new DrillStart.NotStarted(
          new Outcome.Unavailable<>("the audit trail (for alarms) cannot be read"));
    }
    List<GuardRail> refused = preflight.check(request, snapshot.get());
    if (!refused.isEmpty()) {
      log.info(
          "drill kind={} refused by={} rails={}",
          request.kind().label(),
          who.name(),
          refused.stream().map(GuardRail::rule).toList());
      return new DrillStart.Refused(refused);
    }
    Instant now = clock.instant();
    String id = ID_TIME.format(now) + "-" + config.node().id() + "-" + requests.incrementAndGet();
    Drill drill =
        Drill.requested(
            id,
            request.kind(),
            request.line(),
            request.zone(),
            request.duration(),
            request.rto().orElse(config.drills().objective()),
            request.force(),
            who.name(),
            now);
    String detail =
        "drill="
            + id
            + " kind="
            + request.kind().label()
            + request.line().map(l -> " line=" + l).orElse("")
            + request.zone().map(z -> " zone=" + z).orElse("")
            + request.duration().map(d -> " duration=" + d.toMillis() + "ms").orElse("")
            + " rto="
            + drill.objective().toMillis()
            + "ms"
            + (request.force() ? " forced" : "")
            + " by="
            + who.name()
            + " source="
            + who.source();
    try {
      drills.start(drill, parentVersion, event("drill-started", detail));
    } catch (IntentConflictException e) {
      return new DrillStart.NotStarted(
          new Outcome.Conflict<>("another drill was started meanwhile: " + e.getMessage()));
    } catch (StoreUnavailableException e) {
      return new DrillStart.NotStarted(new Outcome.Unavailable<>(e.getMessage()));
    }
    log.info("drill id={} kind={} requested by={}", id, request.kind().label(), who.name());
    return new DrillStart.Started(drill);
  }

  /** Every guard rail {@code request} runs into now (empty: it may start). */
  public List<GuardRail> preflight(DrillRequest request) {
    return snapshot().map(s -> preflight.check(request, s)).orElse(List.of());
  }

  /**
   * The preflight an operator sees before starting {@code request}: its fields and names checked as
   * {@link #start} does, then every guard rail it runs into now (empty: it may start). Nothing is
   * written; the leader's view at the start is the one that counts.
   */
  public Outcome<List<GuardRail>> check(DrillRequest request) {
    Optional<Outcome<List<GuardRail>>> bad = validate(request);
    if (bad.isPresent()) {
      return bad.get();
    }
    return snapshot()
        .<Outcome<List<GuardRail>>>map(s -> new Outcome.Done<>(preflight.check(request, s)))
        .orElseGet(() -> new Outcome.Unavailable<>("the audit trail (for alarms) cannot be read"));
  }

  /**
   * Asks the leader to end drill {@code id} at once and roll it back; done (idempotently) when an
   * abort was already asked. Refused when it has ended. The leader writes the drill as it goes: an
   * abort that lost to such a write is tried again on the newer version (a few times, waiting for
   * this node's view of it).
   */
  public Outcome<Drill> abort(String id, Caller who) {
    for (int attempt = 0; attempt < ABORT_ATTEMPTS; attempt++) {
      Versioned<Drill> v = drills.drills().get(id);
      if (v == null) {
        return new Outcome.NotFound<>("drill", id);
      }
      Drill d = v.value();
      if (!d.running()) {
        return new Outcome.Conflict<>("drill " + id + " has already ended");
      }
      if (d.abortedBy().isPresent()) {
        return new Outcome.Done<>(d);
      }
      Drill aborted = d.withAbort(who.name());
      try {
        drills.update(
            aborted,
            v.version(),
            event(
                "drill-abort",
                "drill="
                    + id
                    + " kind="
                    + d.kind().label()
                    + d.line().map(l -> " line=" + l).orElse("")
                    + " by="
                    + who.name()
                    + " source="
                    + who.source()));
        log.info("drill id={} abort requested by={}", id, who.name());
        return new Outcome.Done<>(aborted);
      } catch (IntentConflictException e) {
        // The leader advanced the drill meanwhile: wait for this node's view of it, then again.
        int seen = v.version();
        waiter.await(
            () -> {
              Versioned<Drill> now = drills.drills().get(id);
              return now == null || now.version() != seen;
            },
            ABORT_VIEW_WAIT);
      } catch (StoreUnavailableException e) {
        return new Outcome.Unavailable<>(e.getMessage());
      }
    }
    return new Outcome.Conflict<>("drill " + id + " kept changing; try again");
  }

  /** The running {@code line-failure} drill of {@code line}, if any: its id. */
  public static Optional<String> failing(DrillStore drills, String line) {
    return drills.drills().values().stream()
        .map(Versioned::value)
        .filter(
            d ->
                d.running()
                    && d.kind() == DrillKind.LINE_FAILURE
                    && d.line().map(line::equals).orElse(false))
        .map(Drill::id)
        .findFirst();
  }

  /** Every drill kept, newest first. */
  public List<Drill> list() {
    return drills.drills().values().stream()
        .map(Versioned::value)
        .sorted(
            Comparator.comparing((Drill d) -> d.at(Drill.Step.STARTED).orElse(Instant.EPOCH))
                .reversed())
        .toList();
  }

  /** Drill {@code id}: its progress, or its report once ended. */
  public Outcome<Drill> get(String id) {
    Versioned<Drill> v = drills.drills().get(id);
    return v == null ? new Outcome.NotFound<>("drill", id) : new Outcome.Done<>(v.value());
  }

  private <T> Optional<Outcome<T>> validate(DrillRequest r) {
    DrillKind kind = r.kind();
    boolean timed = kind == DrillKind.LINE_FAILURE || kind == DrillKind.PROVIDER_OUTAGE;
    if (kind == DrillKind.LINE_FAILURE) {
      if (r.line().isEmpty()) {
        return invalid("line", "line is required for a line-failure drill");
      }
      if (config.line(r.line().get()).isEmpty()) {
        return Optional.of(new Outcome.NotFound<>("line", r.line().get()));
      }
    } else if (r.line().isPresent()) {
      return invalid("line", "line is only for line-failure drills");
    }
    if (kind == DrillKind.PROVIDER_OUTAGE) {
      if (r.zone().isEmpty()) {
        return invalid("zone", "zone is required for a provider-outage drill");
      }
      if (config.zone(r.zone().get()).isEmpty()) {
        return Optional.of(new Outcome.NotFound<>("zone", r.zone().get()));
      }
    } else if (r.zone().isPresent()) {
      return invalid("zone", "zone is only for provider-outage drills");
    }
    if (timed && r.duration().isEmpty()) {
      return invalid("duration", "duration is required for a " + kind.label() + " drill");
    }
    if (!timed && r.duration().isPresent()) {
      return invalid("duration", "a " + kind.label() + " drill takes no duration");
    }
    Duration max = config.drills().maxDuration();
    if (r.duration().isPresent()
        && (!r.duration().get().isPositive() || r.duration().get().compareTo(max) > 0)) {
      return invalid(
          "duration", "duration must be more than 0 and at most " + max + " (drills.maxDuration)");
    }
    if (r.rto().isPresent()
        && (!r.rto().get().isPositive() || r.rto().get().compareTo(MAX_RTO) > 0)) {
      return invalid("rto", "rto must be more than 0 and at most " + MAX_RTO);
    }
    return Optional.empty();
  }

  private static <T> Optional<Outcome<T>> invalid(String field, String why) {
    return Optional.of(new Outcome.Invalid<>(field, why));
  }

  /** The cluster now, as the guard rails see it; empty when the audit trail cannot be read. */
  private Optional<DrillPreflight.Snapshot> snapshot() {
    Instant now = clock.instant();
    Map<String, Health> health = new HashMap<>();
    for (Map.Entry<String, LineHealth> e : store.health().entrySet()) {
      health.put(e.getKey(), e.getValue().health());
    }
    Map<String, LineOverride> overrides = new HashMap<>();
    intents
        .overrides()
        .values()
        .forEach(
            v -> {
              if (v.value().activeAt(now)) {
                overrides.put(v.value().line(), v.value());
              }
            });
    Optional<Drill> running =
        drills.drills().values().stream().map(Versioned::value).filter(Drill::running).findFirst();
    Outcome<AuditPage> failures;
    try {
      failures =
          audit.page(
              AuditQuery.all()
                  .withKind("apply-failed")
                  .withRange(
                      Optional.of(now.minus(config.drills().alarmWindow())), Optional.empty())
                  .withLimit(AuditQuery.MAX_LIMIT));
    } catch (StoreUnavailableException e) {
      return Optional.empty();
    }
    if (!(failures instanceof Outcome.Done<AuditPage> page)) {
      return Optional.empty();
    }
    return Optional.of(
        new DrillPreflight.Snapshot(
            store.members().stream().map(MemberInfo::nodeId).collect(Collectors.toSet()),
            health,
            overrides,
            intents.pauses().keySet(),
            running,
            page.value().events().size(),
            now));
  }

  private AuditEvent event(String kind, String detail) {
    return new AuditEvent(clock.instant(), config.node().id(), kind, detail);
  }
}
