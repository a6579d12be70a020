/**
 * Health-probing contracts shared by the probers and the engine.
 *
 * <p>A {@link io.haddns.probe.Prober} (or {@link io.haddns.probe.PortProber}) sends one probe and
 * answers with a {@link io.haddns.probe.ProbeResult} future that never completes exceptionally and
 * completes within the probe's timeout. Probers are thread-safe, share their sockets between all
 * targets, and are closed by whoever opened them. {@link io.haddns.probe.Health} is a line's
 * decided state ({@code unknown}, {@code up}, {@code down}).
 */
package io.haddns.probe;
