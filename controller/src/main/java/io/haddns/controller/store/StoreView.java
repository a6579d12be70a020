package io.haddns.controller.store;

import java.util.Set;

/** The warm in-memory views a {@link ZkStateStore} keeps, named in change notifications. */
public enum StoreView {
  EPOCH,
  MEMBERS,
  HEALTH,
  APPLIED,
  /** Reported line addresses ({@link LineAddressStore#lineAddresses()}). */
  ADDRESSES;

  /**
   * Told which views changed. Notifications are coalesced: one call may cover many ZooKeeper
   * events, and a listener is never called concurrently with itself.
   */
  @FunctionalInterface
  public interface Listener {
    void changed(Set<StoreView> views);
  }
}
