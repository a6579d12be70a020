package io.haddns.controller.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A failover drill: the operator's request, the leader's progress and, once ended, its report, all
 * in one intent node ({@code drills/<id>}). Any node writes the request and an abort; the leader of
 * the day advances it (fenced), so a new leader finishes or rolls back what the last one started.
 *
 * @param line the line a {@code line-failure} drill fails
 * @param zone the zone a {@code provider-outage} drill cuts off
 * @param duration how long the failure lasts (line and provider drills)
 * @param objective the recovery time objective each record is judged against
 * @param forced whether the soft guard rails were skipped (admins only)
 * @param by the credential name of whoever started it (never a secret)
 * @param epoch the leader term that injected the failure; 0 before
 * @param abortedBy who asked to abort, once asked
 * @param timeline when each step happened, from the leaders' clocks
 * @param records per record the drill moves: its answer before, when it moved, when it came back
 * @param verdict the outcome, once ended
 * @param notes why a drill failed or what was noticed on the way
 */
public record Drill(
    String id,
    DrillKind kind,
    Optional<String> line,
    Optional<String> zone,
    Optional<Duration> duration,
    Duration objective,
    boolean forced,
    String by,
    Phase phase,
    long epoch,
    Optional<String> abortedBy,
    Map<Step, Instant> timeline,
    List<RecordTiming> records,
    Optional<Verdict> verdict,
    List<String> notes) {

  /** Where a drill stands. */
  public enum Phase {
    /** Written by an operator; no failure injected yet. */
    REQUESTED,
    /** The failure is in force (until its duration ends or an abort). */
    INJECTED,
    /** The failure is withdrawn; waiting for the records to come back. */
    RESTORED,
    /** Over; the node is the drill's report. */
    ENDED
  }

  /** The steps of a drill's timeline, in order. */
  public enum Step {
    STARTED,
    INJECTED,
    DETECTED,
    DECIDED,
    WRITTEN,
    VISIBLE,
    RESTORED,
    BACK_VISIBLE,
    ENDED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** A drill's outcome. */
  public enum Verdict {
    PASSED,
    FAILED,
    ABORTED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One record a drill moves.
   *
   * @param record {@code name TYPE}
   * @param zone the record's zone
   * @param before the addresses every authoritative server answered before the failure
   * @param visible when every authoritative server first answered it without the failed line
   * @param back when every authoritative server answered {@code before} again
   */
  public record RecordTiming(
      String record,
      String zone,
      List<String> before,
      Optional<Instant> visible,
      Optional<Instant> back) {
    public RecordTiming {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(zone, "zone");
      before = List.copyOf(before);
      Objects.requireNonNull(visible, "visible");
      Objects.requireNonNull(back, "back");
    }

    public RecordTiming withVisible(Instant at) {
      return new RecordTiming(record, zone, before, Optional.of(at), back);
    }

    public RecordTiming withBack(Instant at) {
      return new RecordTiming(record, zone, before, visible, Optional.of(at));
    }
  }

  public Drill {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(abortedBy, "abortedBy");
    Objects.requireNonNull(verdict, "verdict");
    EnumMap<Step, Instant> t = new EnumMap<>(Step.class);
    t.putAll(timeline);
    timeline = Collections.unmodifiableMap(t);
    records = List.copyOf(records);
    notes = List.copyOf(notes);
  }

  /** A new request, as an operator writes it. */
  public static Drill requested(
      String id,
      DrillKind kind,
      Optional<String> line,
      Optional<String> zone,
      Optional<Duration> duration,
      Duration objective,
      boolean forced,
      String by,
      Instant at) {
    return new Drill(
        id,
        kind,
        line,
        zone,
        duration,
        objective,
        forced,
        by,
        Phase.REQUESTED,
        0,
        Optional.empty(),
        Map.of(Step.STARTED, at),
        List.of(),
        Optional.empty(),
        List.of());
  }

  /** Whether it still runs (not yet ended). */
  public boolean running() {
    return phase != Phase.ENDED;
  }

  public Optional<Instant> at(Step step) {
    return Optional.ofNullable(timeline.get(step));
  }

  /**
   * Whether its failure is in force at {@code now}: injected, not aborted, not restored, and its
   * duration not yet over. A drill whose leader is lost therefore still ends on time by itself.
   */
  public boolean failingAt(Instant now) {
    if (phase != Phase.INJECTED || abortedBy.isPresent()) {
      return false;
    }
    Optional<Instant> injected = at(Step.INJECTED);
    return injected.isPresent()
        && duration.map(d -> now.isBefore(injected.get().plus(d))).orElse(false);
  }

  /** When its failure ends by itself, once injected. */
  public Optional<Instant> failureEnds() {
    return at(Step.INJECTED).flatMap(i -> duration.map(i::plus));
  }

  /** Injected to visible, per record that became visible. */
  public Map<String, Duration> recoveryTimes() {
    Map<String, Duration> out = new java.util.LinkedHashMap<>();
    Optional<Instant> injected = at(Step.INJECTED);
    if (injected.isEmpty()) {
      return out;
    }
    for (RecordTiming r : records) {
      r.visible().ifPresent(v -> out.put(r.record(), Duration.between(injected.get(), v)));
    }
    return out;
  }

  /**
   * The drill's recovery time: for a line drill the slowest record's injected to visible, for a
   * provider drill restored to back, for a leader drill injected to detected (the new term).
   */
  public Optional<Duration> recoveryTime() {
    return switch (kind) {
      case LINE_FAILURE ->
          records.isEmpty() || recoveryTimes().size() < records.size()
              ? Optional.empty()
              : recoveryTimes().values().stream().max(Duration::compareTo);
      case PROVIDER_OUTAGE -> between(Step.RESTORED, Step.BACK_VISIBLE);
      case LEADER_FAILOVER, LEADER_CRASH -> between(Step.INJECTED, Step.DETECTED);
    };
  }

  private Optional<Duration> between(Step from, Step to) {
    return at(from).flatMap(f -> at(to).map(t -> Duration.between(f, t)));
  }

  /**
   * The verdict of a drill that has run its course: aborted when asked to; else failed, with every
   * reason, when a record never moved or never came back or the recovery took longer than the
   * objective; else passed.
   */
  public Judgement judge() {
    if (abortedBy.isPresent()) {
      return new Judgement(Verdict.ABORTED, List.of("aborted by " + abortedBy.get()));
    }
    List<String> why = new ArrayList<>();
    if (kind == DrillKind.LINE_FAILURE) {
      for (RecordTiming r : records) {
        if (r.visible().isEmpty()) {
          why.add(r.record() + " never moved off line " + line.orElse("?"));
        }
      }
      recoveryTimes()
          .forEach(
              (record, took) -> {
                if (took.compareTo(objective) > 0) {
                  why.add(
                      record
                          + " took "
                          + took.toMillis()
                          + " ms, over the objective of "
                          + objective.toMillis()
                          + " ms");
                }
              });
    } else {
      Optional<Duration> took = recoveryTime();
      if (took.isEmpty()) {
        why.add("no recovery was seen");
      } else if (took.get().compareTo(objective) > 0) {
        why.add(
            "recovery took "
                + took.get().toMillis()
                + " ms, over the objective of "
                + objective.toMillis()
                + " ms");
      }
    }
    for (RecordTiming r : records) {
      if (r.back().isEmpty()) {
        why.add(r.record() + " did not come back to " + r.before());
      }
    }
    return new Judgement(why.isEmpty() ? Verdict.PASSED : Verdict.FAILED, why);
  }

  /** A verdict with its reasons. */
  public record Judgement(Verdict verdict, List<String> notes) {
    public Judgement {
      notes = List.copyOf(notes);
    }
  }

  /** A copy in another phase, with {@code step} stamped at {@code at} (unless already stamped). */
  public Drill advanced(Phase next, Step step, Instant at) {
    Map<Step, Instant> t = new EnumMap<>(Step.class);
    t.putAll(timeline);
    t.putIfAbsent(step, at);
    return new Drill(
        id, kind, line, zone, duration, objective, forced, by, next, epoch, abortedBy, t, records,
        verdict, notes);
  }

  /** A copy with {@code step} stamped at {@code at} (unless already stamped). */
  public Drill stamped(Step step, Instant at) {
    return advanced(phase, step, at);
  }

  public Drill withEpoch(long term) {
    return new Drill(
        id, kind, line, zone, duration, objective, forced, by, phase, term, abortedBy, timeline,
        records, verdict, notes);
  }

  public Drill withRecords(List<RecordTiming> timings) {
    return new Drill(
        id, kind, line, zone, duration, objective, forced, by, phase, epoch, abortedBy, timeline,
        timings, verdict, notes);
  }

  public Drill withAbort(String who) {
    return new Drill(
        id,
        kind,
        line,
        zone,
        duration,
        objective,
        forced,
        by,
        phase,
        epoch,
        Optional.of(who),
        timeline,
        records,
        verdict,
        notes);
  }

  /** The ended drill: its report, judged. */
  public Drill ended(Instant at) {
    Drill d = advanced(Phase.ENDED, Step.ENDED, at);
    Judgement j = d.judge();
    List<String> all = new ArrayList<>(notes);
    all.addAll(j.notes());
    return new Drill(
        id,
        kind,
        line,
        zone,
        duration,
        objective,
        forced,
        by,
        Phase.ENDED,
        epoch,
        abortedBy,
        d.timeline,
        records,
        Optional.of(j.verdict()),
        all);
  }

  public Drill withNote(String note) {
    List<String> all = new ArrayList<>(notes);
    all.add(note);
    return new Drill(
        id, kind, line, zone, duration, objective, forced, by, phase, epoch, abortedBy, timeline,
        records, verdict, all);
  }
}
