/**
 * The probing engine: schedules each line's probe rounds and decides its health.
 *
 * <p>{@link io.haddns.probe.engine.ProbeEngine} takes {@link io.haddns.probe.engine.LineTarget}s,
 * probes them through the given probers on one engine thread (no thread per line), feeds round
 * results to a pure {@link io.haddns.probe.engine.HealthTracker} (rise/fall hysteresis) and emits a
 * {@link io.haddns.probe.engine.HealthTransition} to its {@link
 * io.haddns.probe.engine.HealthListener} only when a line's health changes. Every probe outcome
 * goes to a {@link io.haddns.probe.engine.ProbeObserver} for metrics. Time comes from an injected
 * {@link java.time.InstantSource} and the scheduler may be injected, so the engine is tested
 * without sleeping.
 */
package io.haddns.probe.engine;
