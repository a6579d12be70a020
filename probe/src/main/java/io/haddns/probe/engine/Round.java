package io.haddns.probe.engine;

import io.haddns.probe.PortProber;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.ProbeResult.Fault;
import io.haddns.probe.ProbeResult.FaultKind;
import io.haddns.probe.Prober;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fans one line's round out to the probers: every probe kind against every address, all at once.
 * The returned future never completes exceptionally; a prober that breaks its contract (throws,
 * fails its future, or never answers) yields a prober fault, the last after a guard timer: it says
 * nothing about the line.
 */
final class Round {
  /** How long past its timeout a probe may stay silent before the engine gives up on it. */
  static final Duration GUARD_GRACE = Duration.ofSeconds(1);

  private final Prober icmp;
  private final PortProber tcp;
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;

  Round(Prober icmp, PortProber tcp, InstantSource clock, ScheduledExecutorService scheduler) {
    this.icmp = icmp;
    this.tcp = tcp;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  CompletableFuture<List<ProbeOutcome>> start(LineTarget target) {
    Instant started = clock.instant();
    List<CompletableFuture<ProbeOutcome>> parts = new ArrayList<>();
    List<Runnable> giveUps = new ArrayList<>();
    for (ProbeSpec spec : target.probes()) {
      for (InetAddress address : target.addresses()) {
        CompletableFuture<ProbeOutcome> part = new CompletableFuture<>();
        send(spec, address, target.timeout())
            .whenComplete(
                (result, error) -> {
                  ProbeResult r =
                      error != null
                          ? new Fault(FaultKind.UNAVAILABLE, "prober failed: " + error)
                          : result;
                  part.complete(outcome(target.line(), spec, address, r, started));
                });
        giveUps.add(
            () ->
                part.complete(
                    outcome(
                        target.line(),
                        spec,
                        address,
                        new Fault(FaultKind.STARVED, "prober did not answer"),
                        started)));
        parts.add(part);
      }
    }
    CompletableFuture<List<ProbeOutcome>> all =
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
            .thenApply(v -> parts.stream().map(CompletableFuture::join).toList());
    if (!all.isDone()) {
      ScheduledFuture<?> guard =
          scheduler.schedule(
              () -> giveUps.forEach(Runnable::run),
              target.timeout().plus(GUARD_GRACE).toNanos(),
              TimeUnit.NANOSECONDS);
      all.whenComplete((v, e) -> guard.cancel(false));
    }
    return all;
  }

  private CompletableFuture<ProbeResult> send(ProbeSpec spec, InetAddress address, Duration t) {
    try {
      return switch (spec) {
        case ProbeSpec.Icmp i ->
            icmp == null ? unavailable("no icmp prober configured") : icmp.probe(address, t);
        case ProbeSpec.Tcp p ->
            tcp == null ? unavailable("no tcp prober configured") : tcp.probe(address, p.port(), t);
      };
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new Fault(FaultKind.UNAVAILABLE, "prober threw " + e));
    }
  }

  private static CompletableFuture<ProbeResult> unavailable(String why) {
    return CompletableFuture.completedFuture(new Failure(FailureReason.ERROR, why));
  }

  private ProbeOutcome outcome(
      String line, ProbeSpec spec, InetAddress address, ProbeResult result, Instant started) {
    Duration latency =
        switch (result) {
          case ProbeResult.Success s -> s.rtt();
          case Failure f -> Duration.between(started, clock.instant());
          case Fault f -> Duration.between(started, clock.instant());
        };
    return new ProbeOutcome(line, spec, address, result, latency);
  }
}
