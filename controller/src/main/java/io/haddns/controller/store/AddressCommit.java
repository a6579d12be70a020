package io.haddns.controller.store;

/** The outcome of {@link LineAddressStore#putLineAddress}. */
public sealed interface AddressCommit {

  /**
   * Committed to ZooKeeper.
   *
   * @param changed whether the family's addresses differ from what was stored before
   */
  record Committed(LineAddressReport report, boolean changed) implements AddressCommit {}

  /** Refused: the reporter has already committed {@code lastSequence} ≥ the submitted one. */
  record Stale(long lastSequence) implements AddressCommit {}
}
