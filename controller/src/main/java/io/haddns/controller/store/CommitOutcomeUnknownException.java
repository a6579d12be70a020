package io.haddns.controller.store;

/**
 * A write was sent to ZooKeeper (or may have been) and no result came back — the connection was
 * lost, the operation timed out, the caller stopped waiting: it may have been committed or not.
 * Other {@link StoreUnavailableException}s of {@link LineAddressStore} mean nothing was written. A
 * reporter retries the very same report: if it was committed, the store acknowledges the exact
 * retry again (see {@link LineAddressStore#putLineAddress}).
 */
public final class CommitOutcomeUnknownException extends StoreUnavailableException {
  public CommitOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
