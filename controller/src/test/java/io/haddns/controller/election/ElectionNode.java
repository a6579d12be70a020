package io.haddns.controller.election;

import io.haddns.controller.config.LeaderLeaseConfig;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** One cluster node for election ITs: client, store, election, and a log of what it was told. */
final class ElectionNode implements AutoCloseable {
  /** A leadership event, ordered across all nodes of a test by {@code seq}. */
  record Event(long seq, long nanos, String node, String kind, long epoch) {}

  final String id;
  final ZkClient client;
  final ZkStateStore store;
  final CuratorLeaderElection election;
  private final List<Event> events;
  private final AtomicLong seq;
  // How long the listener's lost() takes before it returns, like a node stopping its writers.
  volatile Duration lostTakes = Duration.ZERO;

  ElectionNode(String id, String connectString, ZkPaths paths, List<Event> events, AtomicLong seq) {
    this(id, connectString, paths, events, seq, LeaderLeaseConfig.DISABLED);
  }

  /** A node with the leader lease {@code lease} (no admin port: judged by its lease alone). */
  ElectionNode(
      String id,
      String connectString,
      ZkPaths paths,
      List<Event> events,
      AtomicLong seq,
      LeaderLeaseConfig lease) {
    this.id = id;
    this.events = events;
    this.seq = seq;
    this.client = ZkTestServers.client(connectString);
    this.store =
        new ZkStateStore(
            client,
            paths,
            id,
            Clock.systemUTC(),
            StoreSettings.defaults().withOperationTimeout(Duration.ofSeconds(2)));
    this.election =
        new CuratorLeaderElection(
            client.curator(),
            paths,
            id,
            store,
            new LeadershipListener() {
              @Override
              public void acquired(long epoch) {
                record("acquired", epoch);
              }

              @Override
              public void lost(String reason) {
                sleep(lostTakes);
                record("lost", 0);
              }

              @Override
              public void inDoubt(long epoch) {
                record("doubt", epoch);
              }

              @Override
              public void confirmed(long epoch) {
                record("confirmed", epoch);
              }
            },
            lease,
            node -> Optional.empty(),
            LeadershipChanges.NONE);
    store.start();
    election.start();
  }

  private void record(String kind, long epoch) {
    // Take the sequence number and append atomically so the shared log is in sequence order.
    synchronized (events) {
      events.add(new Event(seq.incrementAndGet(), System.nanoTime(), id, kind, epoch));
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  List<Event> events() {
    synchronized (events) {
      return events.stream().filter(e -> e.node().equals(id)).toList();
    }
  }

  /** True once this node's listener has recorded the start of its current term. */
  boolean hasAcquired() {
    List<Event> mine = events();
    return !mine.isEmpty() && mine.getLast().kind().equals("acquired");
  }

  static List<Event> newLog() {
    return new CopyOnWriteArrayList<>();
  }

  @Override
  public void close() {
    election.close();
    store.close();
    client.close();
  }
}
