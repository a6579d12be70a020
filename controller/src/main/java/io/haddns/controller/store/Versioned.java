package io.haddns.controller.store;

import java.util.Objects;

/**
 * A value with the ZooKeeper data version it was read at, for compare-and-set writes.
 *
 * @param version the node's data version; {@link #ABSENT} for "no node"
 */
public record Versioned<T>(T value, int version) {
  /** The expected version for a write that must create the node. */
  public static final int ABSENT = -1;

  public Versioned {
    Objects.requireNonNull(value, "value");
  }
}
