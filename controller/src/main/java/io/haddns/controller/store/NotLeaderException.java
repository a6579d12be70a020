package io.haddns.controller.store;

/**
 * A leader write was refused because its epoch is no longer current (or the latch node is gone):
 * another node leads. The caller stops acting as leader and does not retry.
 */
public final class NotLeaderException extends Exception {
  public NotLeaderException(String message) {
    super(message);
  }

  public NotLeaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
