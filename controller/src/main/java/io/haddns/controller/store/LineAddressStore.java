package io.haddns.controller.store;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Line addresses reported by agents and dyndns2 clients ({@code lines/<line>/address}), and each
 * reporter's last committed sequence ({@code agents/<id>}).
 *
 * <p>Any node may write, leader or not: writes are not fenced by the epoch but are a
 * compare-and-set on both nodes' versions, so reports of one reporter committed through different
 * nodes at the same time are never reordered and none is lost. A reporter's sequence is shared by
 * all its lines: a replay of an old report is refused even for another line.
 *
 * <p>{@link #lineAddresses()} reads a warm view and never blocks. {@link #putLineAddress} blocks
 * until committed or refused (at most a few ZooKeeper round trips, each bounded by the store's
 * operation timeout) and must not be called on an I/O event loop; {@link #submitLineAddress} is the
 * same commit without blocking. Thread-safe.
 */
public interface LineAddressStore {

  /**
   * Commits {@code submission} unless the reporter already committed an equal or higher sequence.
   * The one exception is a retry of the report the reporter last committed (same sequence, line,
   * family, addresses and observation time): it is {@link AddressCommit.Committed} again,
   * unchanged, so a reporter whose answer was lost gets its acknowledgement. A report confirming
   * the addresses its reporter last set on the line commits the reporter's sequence and leaves the
   * line's stored report (and so {@link #lineAddresses()}) as it is.
   *
   * @throws CommitOutcomeUnknownException when the commit may or may not have happened (the
   *     connection to ZooKeeper failed while it was in flight); the reporter retries the same
   *     report
   * @throws StoreUnavailableException (any other) when ZooKeeper cannot be reached and nothing was
   *     written; the reporter should retry
   */
  AddressCommit putLineAddress(AddressSubmission submission);

  /**
   * {@link #putLineAddress} without blocking: the future completes with the same outcome, or
   * exceptionally with {@link StoreUnavailableException} where that would throw. It is completed on
   * a thread of the store's (keep what runs on it short, never blocking). The default commits on
   * the caller's thread, for stores that do not block.
   */
  default CompletableFuture<AddressCommit> submitLineAddress(AddressSubmission submission) {
    try {
      return CompletableFuture.completedFuture(putLineAddress(submission));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Current reported addresses per line, from the warm view. */
  Map<String, LineAddressState> lineAddresses();

  /**
   * Calls {@code listener} on {@code executor} when views change; address changes are named {@link
   * StoreView#ADDRESSES}. Coalesced, never concurrent with itself.
   */
  void addListener(StoreView.Listener listener, Executor executor);
}
