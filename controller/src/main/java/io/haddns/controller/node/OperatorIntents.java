package io.haddns.controller.node;

import io.haddns.controller.plan.LineState;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.IntentConflictException;
import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.Versioned;
import io.haddns.probe.Health;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of line overrides and zone pauses (docs/architecture.md, "Operator intents"):
 * overrides replace the probed health the planner sees, a change of them reconciles at once, a
 * resumed zone is read back and repaired at once, and an override is removed (fenced) at its expiry
 * time by a timer set for that instant.
 *
 * <p>Threading: {@link #changed} and {@link #expireDue} run on the node's leader-work thread (never
 * concurrently); {@link #overlay} is safe from any thread.
 */
final class OperatorIntents {
  private static final Logger log = LoggerFactory.getLogger(OperatorIntents.class);

  private final IntentStore intents;
  private final String nodeId;
  private final InstantSource clock;
  private final IntentTimers timer;
  private final Consumer<String> reconcile;
  private final BiConsumer<String, String> resync;
  private final Consumer<Runnable> leaderWork;
  private final LongConsumer termLost;
  private Map<String, Versioned<LineOverride>> seenOverrides = Map.of();
  private Set<String> seenPauses = Set.of();
  private long seenEpoch;
  private IntentTimers.Timer expiry;

  /**
   * @param reconcile reconciles every zone now, for a reason
   * @param resync reads back and reconciles one zone now: (zone, reason)
   * @param leaderWork runs a task on the leader-work thread
   * @param termLost told when a fenced removal found the term over
   */
  OperatorIntents(
      IntentStore intents,
      String nodeId,
      InstantSource clock,
      IntentTimers timer,
      Consumer<String> reconcile,
      BiConsumer<String, String> resync,
      Consumer<Runnable> leaderWork,
      LongConsumer termLost) {
    this.intents = intents;
    this.nodeId = nodeId;
    this.clock = clock;
    this.timer = timer;
    this.reconcile = reconcile;
    this.resync = resync;
    this.leaderWork = leaderWork;
    this.termLost = termLost;
  }

  /**
   * {@code lines} with every override active now applied: a line forced down counts as down, one
   * forced up as up, whatever its probes say (its addresses stay the reported ones).
   */
  Map<String, LineState> overlay(Map<String, LineState> lines) {
    Map<String, Versioned<LineOverride>> now = intents.overrides();
    if (now.isEmpty()) {
      return lines;
    }
    Instant at = clock.instant();
    Map<String, LineState> out = new HashMap<>(lines);
    for (Versioned<LineOverride> v : now.values()) {
      LineOverride o = v.value();
      LineState line = lines.get(o.line());
      if (line != null && o.activeAt(at)) {
        Health forced = o.forced() == LineOverride.Forced.DOWN ? Health.DOWN : Health.UP;
        out.put(o.line(), new LineState(o.line(), forced, line.addresses()));
      }
    }
    return out;
  }

  /** The overrides in force now, by line (expired ones left out). */
  Map<String, LineOverride> active() {
    Instant now = clock.instant();
    Map<String, LineOverride> out = new HashMap<>();
    for (Versioned<LineOverride> v : intents.overrides().values()) {
      if (v.value().activeAt(now)) {
        out.put(v.value().line(), v.value());
      }
    }
    return Map.copyOf(out);
  }

  /**
   * Intents changed, or a term began ({@code epoch} 0 when not leading): reconciles at once when
   * overrides changed, reads back a resumed zone, and sets the expiry timer.
   */
  void changed(long epoch) {
    Map<String, Versioned<LineOverride>> overrides = intents.overrides();
    Set<String> pauses = intents.pauses().keySet();
    boolean newTerm = epoch != seenEpoch;
    if (epoch != 0 && !newTerm) {
      if (!overrides.equals(seenOverrides)) {
        reconcile.accept("override");
      }
      Set<String> resumed = new HashSet<>(seenPauses);
      resumed.removeAll(pauses);
      for (String zone : resumed) {
        log.info("zone={} writes resumed: reading back and reconciling", zone);
        resync.accept(zone, "resume");
      }
    }
    seenOverrides = overrides;
    seenPauses = Set.copyOf(pauses);
    seenEpoch = epoch;
    scheduleExpiry(epoch, overrides);
  }

  private void scheduleExpiry(long epoch, Map<String, Versioned<LineOverride>> overrides) {
    scheduleExpiry(epoch, overrides, Instant.MIN);
  }

  /**
   * Sets the expiry timer for the earliest end among {@code overrides} later than {@code after} (an
   * override that ended at or before it is being removed already).
   */
  private void scheduleExpiry(
      long epoch, Map<String, Versioned<LineOverride>> overrides, Instant after) {
    if (expiry != null) {
      expiry.cancel();
      expiry = null;
    }
    if (epoch == 0) {
      return;
    }
    Optional<Instant> next =
        overrides.values().stream()
            .map(v -> v.value().until())
            .flatMap(Optional::stream)
            .filter(until -> until.isAfter(after))
            .min(Instant::compareTo);
    if (next.isEmpty()) {
      return;
    }
    Duration delay = Duration.between(clock.instant(), next.get());
    expiry =
        timer.schedule(
            () -> leaderWork.accept(() -> expireDue(epoch)),
            delay.isNegative() ? Duration.ZERO : delay);
  }

  /**
   * Removes every override of term {@code epoch} whose time is over, fenced by the term, each with
   * its audit event, then reconciles, and sets the timer for the next one still to end (a timer may
   * fire a little before its instant: what has not ended yet is simply waited for again). A failed
   * removal (no connection) is tried again a second later; the planner already ignores an expired
   * override meanwhile.
   */
  void expireDue(long epoch) {
    if (epoch != seenEpoch) {
      return; // a timer of a term that is over (or of a node that does not lead)
    }
    Instant now = clock.instant();
    Map<String, Versioned<LineOverride>> overrides = intents.overrides();
    boolean any = false;
    for (Versioned<LineOverride> v : overrides.values()) {
      LineOverride o = v.value();
      if (o.activeAt(now)) {
        continue;
      }
      any = true;
      try {
        intents.expireOverride(
            epoch,
            o.line(),
            v.version(),
            new AuditEvent(
                now,
                nodeId,
                "override-expired",
                "line=" + o.line() + " state=" + o.forced().label() + " set-by=" + o.by()));
        log.info("line={} override {} expired, set by {}", o.line(), o.forced().label(), o.by());
      } catch (IntentConflictException e) {
        log.info("line={} override changed before its expiry was recorded", o.line());
      } catch (NotLeaderException e) {
        termLost.accept(epoch);
        return;
      } catch (StoreUnavailableException e) {
        log.warn("line={} override expiry not recorded: {}", o.line(), e.getMessage());
        if (any) {
          reconcile.accept("override expired");
        }
        if (expiry != null) {
          expiry.cancel();
        }
        expiry =
            timer.schedule(() -> leaderWork.accept(() -> expireDue(epoch)), Duration.ofSeconds(1));
        return;
      }
    }
    if (any) {
      reconcile.accept("override expired");
    }
    scheduleExpiry(epoch, overrides, now);
  }
}
