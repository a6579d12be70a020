package io.haddns.controller.operate;

import java.util.Objects;

/**
 * The result of an operator call: done with a value, or refused for one reason, in which case
 * nothing was written. The admin API maps them to 200, 404, 400, 409 and 503.
 */
public sealed interface Outcome<T> {

  /** Done; {@code value} describes what now holds. */
  record Done<T>(T value) implements Outcome<T> {
    public Done {
      Objects.requireNonNull(value, "value");
    }
  }

  /** No such {@code kind} ({@code line}, {@code zone}, {@code node}) named {@code name}. */
  record NotFound<T>(String kind, String name) implements Outcome<T> {}

  /** The argument {@code field} is unacceptable, for {@code why}. */
  record Invalid<T>(String field, String why) implements Outcome<T> {}

  /** Another change came first (compare-and-set lost, or an operation already running). */
  record Conflict<T>(String why) implements Outcome<T> {}

  /** The replicated state cannot be reached (no ZooKeeper quorum) or did not answer in time. */
  record Unavailable<T>(String reason) implements Outcome<T> {}
}
