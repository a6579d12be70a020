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

  /** The latest outcome of one probe (kind and address), overwritten in place. */
  private static final class Slot {
    private final ProbeSpec spec;
    private final InetAddress address;
    private ProbeResult unsuccessful; // null for a success
    private long latencyNanos;
    private long atMillis;
    private long seen; // the line's update count when last written: the eviction order

    Slot(ProbeSpec spec, InetAddress address) {
      this.spec = spec;
      this.address = address;
    }

    boolean isFor(ProbeSpec s, InetAddress a) {
      // The engine hands over its targets' own instances: identity is the common case.
      return (spec == s || spec.equals(s)) && (address == a || address.equals(a));
    }
  }

  /** One line's slots, a handful at most (probe kinds × addresses); guarded by itself. */
  private static final class Slots {
    private final List<Slot> slots = new ArrayList<>(2);
    private long updates;

    Slot slot(ProbeSpec spec, InetAddress address) {
      for (int i = 0; i < slots.size(); i++) {
        Slot s = slots.get(i);
        if (s.isFor(spec, address)) {
          return s;
        }
      }
      if (slots.size() >= PER_LINE) {
        int oldest = 0;
        for (int i = 1; i < slots.size(); i++) {
          if (slots.get(i).seen < slots.get(oldest).seen) {
            oldest = i;
          }
        }
        slots.remove(oldest);
      }
      Slot s = new Slot(spec, address);
      slots.add(s);
      return s;
    }
  }

  private record Seen(
      ProbeSpec spec,
      InetAddress address,
      ProbeResult unsuccessful,
      long latencyNanos,
      long atMillis) {}

  public LatestProbes(ProbeObserver next, InstantSource clock) {
    this.next = next;
    this.clock = clock;
  }

  @Override
  public void onProbe(ProbeOutcome outcome) {
    long at = clock.millis();
    Slots line = lines.get(outcome.line());
    if (line == null) {
      line = lines.computeIfAbsent(outcome.line(), l -> new Slots());
    }
    synchronized (line) {
      Slot slot = line.slot(outcome.spec(), outcome.address());
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
      for (Slot s : slots.slots) {
        copy.add(new Seen(s.spec, s.address, s.unsuccessful, s.latencyNanos, s.atMillis));
      }
    }
    return copy.stream()
        .filter(s -> addresses.contains(s.address()))
        .sorted(
            Comparator.comparing((Seen s) -> s.spec().describe())
                .thenComparing(s -> s.address().getHostAddress()))
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
        s.spec().describe(),
        s.address().getHostAddress(),
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
