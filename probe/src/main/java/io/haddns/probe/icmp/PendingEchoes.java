package io.haddns.probe.icmp;

import io.haddns.probe.ProbeResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Echo requests awaiting a reply on one socket: by sequence number for matching, and by deadline
 * for the timeout sweep. Thread-safe; futures are completed by the caller, outside the lock. Times
 * are {@link System#nanoTime()} values passed in.
 */
final class PendingEchoes {

  record Pending(
      int sequence,
      byte[] target,
      long cookie,
      long sentNanos,
      long deadlineNanos,
      CompletableFuture<ProbeResult> future) {}

  private static final int SEQUENCES = 1 << 16;

  private final Map<Integer, Pending> bySequence = new HashMap<>();
  // Entries answered early stay here until their deadline and are skipped then: cheaper than
  // removing from the middle of a heap.
  private final PriorityQueue<Pending> byDeadline =
      new PriorityQueue<>(Comparator.comparingLong(Pending::deadlineNanos));
  private int nextSequence;

  PendingEchoes(int firstSequence) {
    this.nextSequence = firstSequence & 0xffff;
  }

  /** Registers a request under a free sequence number; null when all 65,536 are in flight. */
  synchronized Pending add(
      byte[] target, long cookie, long now, long timeoutNanos, CompletableFuture<ProbeResult> f) {
    if (bySequence.size() >= SEQUENCES) {
      return null;
    }
    while (bySequence.containsKey(nextSequence)) {
      nextSequence = (nextSequence + 1) & 0xffff;
    }
    Pending p = new Pending(nextSequence, target, cookie, now, now + timeoutNanos, f);
    nextSequence = (nextSequence + 1) & 0xffff;
    bySequence.put(p.sequence(), p);
    byDeadline.add(p);
    return p;
  }

  synchronized void forget(Pending p) {
    bySequence.remove(p.sequence(), p);
  }

  /** The request this reply answers, removed; null unless sequence, source and cookie all match. */
  synchronized Pending matchReply(int sequence, byte[] source, long cookie) {
    Pending p = bySequence.get(sequence);
    if (p == null || p.cookie() != cookie || !Arrays.equals(p.target(), source)) {
      return null;
    }
    bySequence.remove(sequence);
    return p;
  }

  /** The request an unreachable error quotes (it carries no cookie), removed; or null. */
  synchronized Pending matchUnreachable(int sequence, byte[] destination) {
    Pending p = bySequence.get(sequence);
    if (p == null || !Arrays.equals(p.target(), destination)) {
      return null;
    }
    bySequence.remove(sequence);
    return p;
  }

  /** Removes and returns every request whose deadline has passed. */
  synchronized List<Pending> expire(long now) {
    List<Pending> expired = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.peek().deadlineNanos() - now <= 0) {
      Pending p = byDeadline.poll();
      if (bySequence.remove(p.sequence(), p)) {
        expired.add(p);
      }
    }
    return expired;
  }

  /** Nanoseconds until the earliest deadline, or -1 when nothing is pending. */
  synchronized long nanosUntilNextDeadline(long now) {
    while (!byDeadline.isEmpty()
        && bySequence.get(byDeadline.peek().sequence()) != byDeadline.peek()) {
      byDeadline.poll();
    }
    return byDeadline.isEmpty() ? -1 : Math.max(0, byDeadline.peek().deadlineNanos() - now);
  }

  /** Removes and returns everything, for shutdown. */
  synchronized List<Pending> drain() {
    List<Pending> all = new ArrayList<>(bySequence.values());
    bySequence.clear();
    byDeadline.clear();
    return all;
  }
}
