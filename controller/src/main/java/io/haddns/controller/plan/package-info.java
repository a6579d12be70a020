/**
 * Deciding what DNS should hold: {@link io.haddns.controller.plan.DesiredStateCalculator} turns
 * records' policies and lines' health into desired RRsets, and {@link
 * io.haddns.controller.plan.Planner} compares them with what a provider holds and yields the {@link
 * io.haddns.controller.plan.Change}s.
 *
 * <p>Pure functions: no I/O, no clock, no threads, no logging, so every decision is a unit test. It
 * never empties a record because its lines or probing failed (fail-static).
 */
package io.haddns.controller.plan;
