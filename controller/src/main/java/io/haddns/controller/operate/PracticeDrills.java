package io.haddns.controller.operate;

import io.haddns.controller.config.DrillsConfig;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled practice drills (docs/operations.md, "Practice drills"), like Route 53 ARC practice
 * runs: while this node leads, each configured practice drill is started once every {@code every},
 * inside its windows, through {@link DrillApi} as a manual one would be — the same guard rails
 * block it (never forced), and its report is kept like the others. A practice drill is recognised
 * in the reports by its {@code by}: {@code practice:<name>}.
 */
public final class PracticeDrills implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PracticeDrills.class);

  /** How often the schedule is looked at. */
  public static final Duration CHECK = Duration.ofSeconds(30);

  private final List<DrillsConfig.Practice> entries;
  private final DrillApi api;
  private final BooleanSupplier leading;
  private final InstantSource clock;
  private final ScheduledExecutorService timer;

  public PracticeDrills(
      List<DrillsConfig.Practice> entries,
      DrillApi api,
      BooleanSupplier leading,
      InstantSource clock) {
    this.entries = List.copyOf(entries);
    this.api = api;
    this.leading = leading;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "haddns-practice-drills");
              t.setDaemon(true);
              return t;
            });
  }

  /** Looks at the schedule every {@link #CHECK}; nothing to do without entries. */
  public void start() {
    if (entries.isEmpty()) {
      return;
    }
    timer.scheduleWithFixedDelay(
        this::runDue, CHECK.toMillis(), CHECK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The name a practice drill records as who started it. */
  public static String by(DrillsConfig.Practice p) {
    return "practice:" + p.name();
  }

  /**
   * The practice drills due at {@code now}: inside a window, and none of the same name started
   * within its {@code every} ({@code history}: every drill kept, any order).
   */
  public static List<DrillsConfig.Practice> due(
      List<DrillsConfig.Practice> entries, List<Drill> history, Instant now) {
    List<DrillsConfig.Practice> out = new ArrayList<>();
    for (DrillsConfig.Practice p : entries) {
      if (!p.allowedAt(now)) {
        continue;
      }
      Optional<Instant> last =
          history.stream()
              .filter(d -> d.by().equals(by(p)))
              .map(d -> d.at(Drill.Step.STARTED).orElse(Instant.EPOCH))
              .max(Instant::compareTo);
      if (last.isEmpty() || !last.get().plus(p.every()).isAfter(now)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Starts the first due practice drill, if this node leads; refusals are logged. */
  void runDue() {
    try {
      if (!leading.getAsBoolean()) {
        return;
      }
      for (DrillsConfig.Practice p : due(entries, api.list(), clock.instant())) {
        DrillRequest r =
            new DrillRequest(
                DrillKind.parse(p.kind()).orElseThrow(),
                p.line(),
                p.zone(),
                p.duration(),
                p.rto(),
                false);
        switch (api.start(r, new Caller(by(p), "scheduler"))) {
          case DrillStart.Started s -> {
            log.info("practice={} drill id={} started", p.name(), s.drill().id());
            return;
          }
          case DrillStart.Refused refused ->
              log.info(
                  "practice={} drill not started, guard rails: {}",
                  p.name(),
                  refused.reasons().stream().map(GuardRail::why).toList());
          case DrillStart.NotStarted n ->
              log.warn("practice={} drill not started: {}", p.name(), n.why());
        }
      }
    } catch (RuntimeException e) {
      log.error("practice drills check failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
