package io.haddns.probe.tcp;

import io.haddns.probe.ProbeResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * SYNs awaiting an answer: by sequence number for matching, and by deadline for the timeout sweep.
 * An answered SYN leaves both at once. Thread-safe; futures are completed by the caller, outside
 * the lock. Times are {@link System#nanoTime()} values passed in.
 */
final class PendingSyns {

  /** One SYN in flight: to {@code target} (IPv4, as an int) port {@code port}. */
  record Pending(
      int seq,
      int target,
      int port,
      int sourcePort,
      long sentNanos,
      long deadlineNanos,
      CompletableFuture<ProbeResult> future) {}

  private final Map<Integer, Pending> bySeq = new HashMap<>();
  private final TreeSet<Pending> byDeadline =
      new TreeSet<>(
          Comparator.comparingLong(Pending::deadlineNanos).thenComparingInt(Pending::seq));
  private final int limit;

  /** At most {@code limit} SYNs in flight. */
  PendingSyns(int limit) {
    this.limit = limit;
  }

  /**
   * Registers a SYN under sequence number {@code seq}; null when {@code seq} is taken (draw
   * another) or the limit is reached ({@link #full()} says which).
   */
  synchronized Pending add(
      int seq,
      int target,
      int port,
      int sourcePort,
      long now,
      long timeoutNanos,
      CompletableFuture<ProbeResult> f) {
    if (bySeq.size() >= limit || bySeq.containsKey(seq)) {
      return null;
    }
    Pending p = new Pending(seq, target, port, sourcePort, now, now + timeoutNanos, f);
    bySeq.put(seq, p);
    byDeadline.add(p);
    return p;
  }

  synchronized boolean full() {
    return bySeq.size() >= limit;
  }

  synchronized int size() {
    return bySeq.size();
  }

  /** Forgets a SYN that could not be sent. */
  synchronized void forget(Pending p) {
    if (bySeq.remove(p.seq(), p)) {
      byDeadline.remove(p);
    }
  }

  /** The SYN this answer is to, removed; null unless target, ports and sequence number match. */
  synchronized Pending match(SynSegment.Answer a) {
    Pending p = bySeq.get(a.acknowledged() - 1);
    if (p == null
        || p.target() != a.source()
        || p.port() != a.sourcePort()
        || p.sourcePort() != a.destinationPort()) {
      return null;
    }
    bySeq.remove(p.seq());
    byDeadline.remove(p);
    return p;
  }

  /** Removes and returns every SYN whose deadline has passed. */
  synchronized List<Pending> expire(long now) {
    List<Pending> expired = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.first().deadlineNanos() - now <= 0) {
      Pending p = byDeadline.pollFirst();
      bySeq.remove(p.seq());
      expired.add(p);
    }
    return expired;
  }

  /** Nanoseconds until the earliest deadline, or -1 when nothing is pending. */
  synchronized long nanosUntilNextDeadline(long now) {
    return byDeadline.isEmpty() ? -1 : Math.max(0, byDeadline.first().deadlineNanos() - now);
  }

  /** Removes and returns everything, for shutdown. */
  synchronized List<Pending> drain() {
    List<Pending> all = new ArrayList<>(bySeq.values());
    bySeq.clear();
    byDeadline.clear();
    return all;
  }
}
