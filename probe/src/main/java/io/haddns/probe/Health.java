package io.haddns.probe;

/** Health of a line as decided by its probes with rise/fall hysteresis. */
public enum Health {
  /** Not decided yet: a new line or a new address before {@code rise} or {@code fall} probes. */
  UNKNOWN,
  UP,
  DOWN;

  /** Lower-case name used in ZooKeeper, the status API and metrics labels. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
