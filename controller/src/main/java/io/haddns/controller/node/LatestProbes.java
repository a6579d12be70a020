package io.haddns.controller.node;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.engine.ProbeObserver;
import io.haddns.probe.engine.ProbeOutcome;
import io.haddns.probe.engine.ProbeSpec;
import io.haddns.probe.engine.RoundVerdict;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest outcome of each probe (kind and address) of each line at this node, for the status
 * answer; passes everything on to {@code next} (the metrics). Only a leader probes, so only a
 * leader has fresh ones. Holds at most {@value #PER_LINE} outcomes per line (the least recently
 * seen go first), so addresses a line no longer has do not pile up. Thread-safe.
 *
 * <p>Tens of thousands of probes a second each overwrite their probe's slot in place: nothing of an
 * outcome is kept but its numbers (and the result of one that did not succeed), so the outcomes
 * themselves die young instead of living a probe interval and being copied by every young
 * collection meanwhile (docs/benchmarks.md, "Probing at scale").
 */
public final class LatestProbes implements ProbeObserver {
  static final int PER_LINE = 16;
  private final ProbeObserver next;
  private final InstantSource clock;
  private final Map<String, Slots> lines = new ConcurrentHashMap<>();

  // One probe of a line: no string built per outcome at tens of thousands of probes a second.
  private record Probe(ProbeSpec spec, InetAddress address) {}

  /** The latest outcome of one probe, overwritten in place. */
  private static final class Slot {
    private ProbeResult unsuccessful; // null for a success
    private long latencyNanos;
    private long atMillis;
    private long seen; // the line's update count when last written: the eviction order
  }

  /** One line's slots; guarded by itself. */
  private static final class Slots {
    private final Map<Probe, Slot> byProbe = new HashMap<>();
    private long updates;

    Slot slot(Probe key) {
      Slot s = byProbe.get(key);
      if (s != null) {
        return s;
      }
      if (byProbe.size() >= PER_LINE) {
        Probe oldest = null;
        long oldestSeen = Long.MAX_VALUE;
        for (Map.Entry<Probe, Slot> e : byProbe.entrySet()) {
          if (e.getValue().seen < oldestSeen) {
            oldestSeen = e.getValue().seen;
            oldest = e.getKey();
          }
        }
        byProbe.remove(oldest);
      }
      s = new Slot();
      byProbe.put(key, s);
      return s;
    }
  }

  private record Seen(Probe probe, ProbeResult unsuccessful, long latencyNanos, long atMillis) {}

  public LatestProbes(ProbeObserver next, InstantSource clock) {
    this.next = next;
    this.clock = clock;
  }

  @Override
  public void onProbe(ProbeOutcome outcome) {
    long at = clock.millis();
    Slots line = lines.computeIfAbsent(outcome.line(), l -> new Slots());
    synchronized (line) {
      Slot slot = line.slot(new Probe(outcome.spec(), outcome.address()));
      slot.unsuccessful = outcome.result() instanceof ProbeResult.Success ? null : outcome.result();
      slot.latencyNanos = outcome.latency().toNanos();
      slot.atMillis = at;
      slot.seen = ++line.updates;
    }
    next.onProbe(outcome);
  }

  /** The latest outcome of each probe of {@code line} against one of {@code addresses}. */
  public List<ClusterStatus.Probe> of(String line, List<InetAddress> addresses) {
    Slots slots = lines.get(line);
    if (slots == null) {
      return List.of();
    }
    List<Seen> copy = new ArrayList<>();
    synchronized (slots) {
      slots.byProbe.forEach(
          (p, s) -> copy.add(new Seen(p, s.unsuccessful, s.latencyNanos, s.atMillis)));
    }
    return copy.stream()
        .filter(s -> addresses.contains(s.probe().address()))
        .sorted(
            Comparator.comparing((Seen s) -> s.probe().spec().describe())
                .thenComparing(s -> s.probe().address().getHostAddress()))
        .map(LatestProbes::probe)
        .toList();
  }

  private static ClusterStatus.Probe probe(Seen s) {
    String result;
    String detail;
    switch (s.unsuccessful()) {
      case null -> {
        result = "ok";
        detail = "";
      }
      case ProbeResult.Success ok -> {
        result = "ok";
        detail = "";
      }
      case ProbeResult.Failure f -> {
        result = "failed";
        detail = f.detail().isEmpty() ? f.reason().label() : f.reason().label() + ": " + f.detail();
      }
      case ProbeResult.Fault f -> {
        result = "inconclusive";
        detail =
            "prober fault "
                + (f.detail().isEmpty() ? f.kind().label() : f.kind().label() + ": " + f.detail());
      }
    }
    return new ClusterStatus.Probe(
        s.probe().spec().describe(),
        s.probe().address().getHostAddress(),
        result,
        detail,
        millis(s.latencyNanos()),
        Instant.ofEpochMilli(s.atMillis()).toString());
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  @Override
  public void onRoundStarted(String line, Duration late) {
    next.onRoundStarted(line, late);
  }

  @Override
  public void onRoundOverran(String line, Duration overrun) {
    next.onRoundOverran(line, overrun);
  }

  @Override
  public void onRound(String line, boolean success) {
    next.onRound(line, success);
  }

  @Override
  public void onInconclusiveRound(String line, RoundVerdict.Inconclusive verdict) {
    next.onInconclusiveRound(line, verdict);
  }
}
