package io.haddns.probe.engine;

import java.time.Duration;

/**
 * Sees every probe outcome and every finished round, for metrics. The probe module stays free of
 * any metrics library: the controller adapts this to Prometheus.
 *
 * <p>Threading: called on the engine's thread, never concurrently, in the order rounds finish. It
 * must be cheap and must not block. An exception thrown here is logged and ignored.
 */
public interface ProbeObserver {

  /** Observes nothing. */
  ProbeObserver NOOP = new ProbeObserver() {};

  /**
   * A line's scheduled round started {@code late} after it was due (zero or more): the engine's
   * timing jitter. A round probed at once (a new line or new addresses) is not reported.
   */
  default void onRoundStarted(String line, Duration late) {}

  /**
   * A line's round finished after its next round was due ({@code overrun} past that), so the next
   * round starts late, right away, instead of on its schedule.
   */
  default void onRoundOverran(String line, Duration overrun) {}

  /** One probe (one kind against one address) of a round finished. */
  default void onProbe(ProbeOutcome outcome) {}

  /**
   * A line's round finished and judged the line; {@code success} when every probe succeeded. Not
   * called for an inconclusive round.
   */
  default void onRound(String line, boolean success) {}

  /** A line's round said nothing about the line: the prober could not probe, or ran late. */
  default void onInconclusiveRound(String line, RoundVerdict.Inconclusive verdict) {}
}
