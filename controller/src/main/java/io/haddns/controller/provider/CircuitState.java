package io.haddns.controller.provider;

import java.util.Locale;

/**
 * The state of a provider's circuit breaker: {@code CLOSED} calls the provider, {@code OPEN} fails
 * fast without calling it, {@code HALF_OPEN} lets a few trial calls through to decide.
 */
public enum CircuitState {
  CLOSED,
  OPEN,
  HALF_OPEN;

  /** The lower-case name, for metric labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
