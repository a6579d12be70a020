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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest outcome of each probe (kind and address) of each line at this node, for the status
 * answer; passes everything on to {@code next} (the metrics). Only a leader probes, so only a
 * leader has fresh ones. Holds at most {@value #PER_LINE} outcomes per line (the oldest go first),
 * so addresses a line no longer has do not pile up. Thread-safe.
 */
public final class LatestProbes implements ProbeObserver {
  static final int PER_LINE = 16;
  private final ProbeObserver next;
  private final InstantSource clock;
  private final Map<String, Map<Probe, Seen>> lines = new ConcurrentHashMap<>();

  private record Seen(ProbeOutcome outcome, Instant at) {}

  // One probe of a line: no string built per outcome at tens of thousands of probes a second.
  private record Probe(ProbeSpec spec, InetAddress address) {}

  public LatestProbes(ProbeObserver next, InstantSource clock) {
    this.next = next;
    this.clock = clock;
  }

  @Override
  public void onProbe(ProbeOutcome outcome) {
    Seen seen = new Seen(outcome, clock.instant());
    Probe key = new Probe(outcome.spec(), outcome.address());
    Map<Probe, Seen> line = lines.computeIfAbsent(outcome.line(), l -> new LinkedHashMap<>());
    synchronized (line) {
      line.remove(key);
      line.put(key, seen);
      while (line.size() > PER_LINE) {
        line.remove(line.keySet().iterator().next());
      }
    }
    next.onProbe(outcome);
  }

  /** The latest outcome of each probe of {@code line} against one of {@code addresses}. */
  public List<ClusterStatus.Probe> of(String line, List<InetAddress> addresses) {
    Map<Probe, Seen> seen = lines.get(line);
    if (seen == null) {
      return List.of();
    }
    List<Seen> copy;
    synchronized (seen) {
      copy = List.copyOf(seen.values());
    }
    return copy.stream()
        .filter(s -> addresses.contains(s.outcome().address()))
        .sorted(
            Comparator.comparing((Seen s) -> s.outcome().spec().describe())
                .thenComparing(s -> s.outcome().address().getHostAddress()))
        .map(LatestProbes::probe)
        .toList();
  }

  private static ClusterStatus.Probe probe(Seen s) {
    ProbeOutcome o = s.outcome();
    String result;
    String detail;
    switch (o.result()) {
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
        o.spec().describe(),
        o.address().getHostAddress(),
        result,
        detail,
        millis(o.latency()),
        s.at().toString());
  }

  private static double millis(Duration d) {
    return Math.round(d.toNanos() / 10_000.0) / 100.0;
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
