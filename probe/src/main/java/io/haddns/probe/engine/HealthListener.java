package io.haddns.probe.engine;

/**
 * Receives a line's health transitions from a {@link ProbeEngine}.
 *
 * <p>Threading: called on the engine's thread, one call at a time, never concurrently, in the order
 * the transitions happened. It must not block (hand the transition to a queue): while it runs, no
 * probe round of any line is started or finished. An exception thrown by the listener is logged and
 * does not stop the engine.
 */
@FunctionalInterface
public interface HealthListener {

  void onTransition(HealthTransition transition);
}
