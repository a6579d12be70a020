package io.haddns.controller.store;

/**
 * ZooKeeper could not be reached in time; the outcome of the operation is unknown, except where the
 * throwing interface says otherwise ({@link LineAddressStore}: only a {@link
 * CommitOutcomeUnknownException} leaves a line address write's outcome unknown).
 */
public sealed class StoreUnavailableException extends RuntimeException
    permits CommitOutcomeUnknownException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
