package io.haddns.controller.verify;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.dns.RecordKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each authoritative server last answered the verify step for each record, for the status
 * answer. Holds at most {@value #MAX_RECORDS} records (the least recently verified go first).
 * Thread-safe.
 */
public final class ServerAnswers {
  static final int MAX_RECORDS = 20_000;

  private final Map<RecordKey, Map<String, ClusterStatus.ServerAnswer>> answers =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<RecordKey, Map<String, ClusterStatus.ServerAnswer>> eldest) {
          return size() > MAX_RECORDS;
        }
      };

  /** {@code server} answered {@code answer} for {@code key}, which {@code matches} or not. */
  synchronized void answered(
      RecordKey key,
      InetSocketAddress server,
      Collection<InetAddress> answer,
      boolean matches,
      Instant at) {
    put(key, server, answer, matches, "", at);
  }

  /** {@code server} could not be asked about {@code key}, or did not answer. */
  synchronized void failed(RecordKey key, InetSocketAddress server, String error, Instant at) {
    put(key, server, List.of(), false, error, at);
  }

  private void put(
      RecordKey key,
      InetSocketAddress server,
      Collection<InetAddress> answer,
      boolean matches,
      String error,
      Instant at) {
    String name = server.getAddress().getHostAddress() + ":" + server.getPort();
    answers
        .computeIfAbsent(key, k -> new TreeMap<>())
        .put(
            name,
            new ClusterStatus.ServerAnswer(
                name,
                answer.stream().map(InetAddress::getHostAddress).sorted().toList(),
                matches,
                error,
                at.toString()));
  }

  /** Each server's last answer for {@code key}, by server; empty when never verified here. */
  public synchronized List<ClusterStatus.ServerAnswer> of(RecordKey key) {
    Map<String, ClusterStatus.ServerAnswer> m = answers.get(key);
    return m == null ? List.of() : List.copyOf(m.values());
  }
}
