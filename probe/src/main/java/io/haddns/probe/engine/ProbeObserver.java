package io.haddns.probe.engine;

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

  /** One probe (one kind against one address) of a round finished. */
  default void onProbe(ProbeOutcome outcome) {}

  /** A line's round finished; {@code success} when every probe succeeded. */
  default void onRound(String line, boolean success) {}
}
