package io.haddns.controller.node;

import io.haddns.probe.Health;
import io.haddns.probe.PortProber;
import io.haddns.probe.Prober;
import io.haddns.probe.engine.HealthTransition;
import io.haddns.probe.engine.LineTarget;
import io.haddns.probe.engine.ProbeEngine;
import io.haddns.probe.engine.ProbeObserver;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@link LineProbing} on the probe module's {@link ProbeEngine}: a fresh engine per leader term,
 * sharing the node's ICMP and TCP probers (whose sockets outlive terms).
 */
public final class EngineLineProbing implements LineProbing {
  private static final Duration UPDATE_LIMIT = Duration.ofSeconds(5);
  private final Optional<Prober> icmp;
  private final PortProber tcp;
  private final ProbeObserver observer;
  private final InstantSource clock;
  private ProbeEngine engine;
  private boolean closed;

  /**
   * @param icmp the ICMP prober, or empty when no line uses ICMP probes
   */
  public EngineLineProbing(
      Optional<Prober> icmp, PortProber tcp, ProbeObserver observer, InstantSource clock) {
    this.icmp = icmp;
    this.tcp = tcp;
    this.observer = observer;
    this.clock = clock;
  }

  @Override
  public synchronized void start(
      List<LineTarget> targets, Map<String, Health> seed, Consumer<HealthTransition> sink) {
    stop();
    ProbeEngine.Builder b =
        ProbeEngine.builder().tcp(tcp).listener(sink::accept).observer(observer).clock(clock);
    icmp.ifPresent(b::icmp);
    ProbeEngine e = b.build();
    e.seed(seed);
    e.setTargets(targets);
    e.start();
    engine = e;
  }

  /** An engine with no lines started, asked for its state and closed. */
  @Override
  public synchronized void prepare() {
    if (engine != null || closed) {
      return;
    }
    ProbeEngine.Builder b =
        ProbeEngine.builder().tcp(tcp).listener(t -> {}).observer(observer).clock(clock);
    icmp.ifPresent(b::icmp);
    ProbeEngine e = b.build();
    try {
      e.seed(Map.of());
      CompletableFuture<Void> applied = e.setTargets(List.of());
      e.start();
      applied.get(UPDATE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      e.snapshot();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException ex) {
      // Only a rehearsal: the real start reports its own problems.
    } finally {
      e.close();
    }
  }

  @Override
  public synchronized void update(List<LineTarget> targets) {
    if (engine == null) {
      return;
    }
    try {
      engine.setTargets(targets).get(UPDATE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("probe targets not applied: " + e, e);
    }
  }

  @Override
  public synchronized void stop() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }

  @Override
  public synchronized Map<String, Health> snapshot() {
    return engine == null ? Map.of() : engine.snapshot();
  }

  /** Stops probing and closes the probers; idempotent (the node and its runtime both close it). */
  @Override
  public synchronized void close() {
    stop();
    if (closed) {
      return;
    }
    closed = true;
    icmp.ifPresent(Prober::close);
    tcp.close();
  }
}
