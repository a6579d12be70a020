package io.haddns.controller.store;

/** ZooKeeper could not be reached in time; the outcome of the operation is unknown. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
