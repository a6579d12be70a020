package io.haddns.controller.store;

/** A compare-and-set write of an intent found another version than expected: nothing written. */
public final class IntentConflictException extends Exception {
  public IntentConflictException(String message) {
    super(message);
  }
}
