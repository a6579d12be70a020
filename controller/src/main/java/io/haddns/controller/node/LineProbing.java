package io.haddns.controller.node;

import io.haddns.probe.Health;
import io.haddns.probe.engine.HealthTransition;
import io.haddns.probe.engine.LineTarget;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The leader's probing of its lines. Runs only between {@link #start} and {@link #stop}, which the
 * node calls when a term begins and ends.
 *
 * <p>Threading: {@code start}/{@code stop} are called from the election's thread; transitions are
 * delivered on the prober's own thread, never concurrently.
 */
public interface LineProbing extends AutoCloseable {

  /**
   * Starts probing {@code targets}, starting each line from its {@code seed} health (the last known
   * health from the cluster state, so a new leader does not reset lines to unknown).
   */
  void start(List<LineTarget> targets, Map<String, Health> seed, Consumer<HealthTransition> sink);

  /**
   * Replaces the targets while started, e.g. when an agent reported a new address: a line whose
   * addresses changed restarts from unknown and is probed at once; the others keep their health.
   * Blocks until the change is applied. Does nothing when stopped.
   */
  void update(List<LineTarget> targets);

  /**
   * On a follower, once: runs what {@link #start} runs, on no lines, so that a new leader's start
   * is not the first in this process (docs/architecture.md, "Fast takeover"). Probes nothing. Does
   * nothing while started.
   */
  default void prepare() {}

  /** Stops probing; no transition is delivered after this returns. Idempotent. */
  void stop();

  /** Current health per line while started; empty when stopped. */
  Map<String, Health> snapshot();

  @Override
  void close();
}
