package io.haddns.controller.election;

import io.haddns.controller.config.LeaderLeaseConfig;
import io.haddns.controller.election.LeadershipChanges.StepDownReason;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreUnavailableException;
import io.haddns.controller.store.ZkPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaderElection} with Curator's {@link LeaderLatch} under {@code leader/}, participant id =
 * node id.
 *
 * <p>On gaining the latch, the node begins a term ({@link StateStore#beginTerm}: latch node still
 * there + epoch bump in one transaction) and only then tells its {@link LeadershipListener}. It
 * stops leading — {@link #isLeader()} false at once, then {@code lost} — when the latch says so or
 * the connection is SUSPENDED or LOST, whichever is first. Listener calls run on one dedicated
 * thread, never on ZooKeeper's event thread. {@link #close()} ends the term ({@code lost} returns)
 * and then removes the latch node, so another node takes over within about a second and never while
 * this one still acts on its term.
 *
 * <p>With the leader lease enabled ({@link LeaderLease}), the leader renews it while it leads and
 * followers judge it: a follower that finds the leader dead removes the leader's latch node, so the
 * latch moves on without waiting for the dead leader's session to expire. A leader that finds its
 * own latch node removed, the epoch moved, or its lease unconfirmed for too long steps down and
 * joins again at the back of the latch queue (docs/architecture.md, "Fast takeover").
 */
public final class CuratorLeaderElection implements LeaderElection {
  private static final Logger log = LoggerFactory.getLogger(CuratorLeaderElection.class);
  private static final Duration BEGIN_TERM_BACKOFF = Duration.ofMillis(200);
  // Bounds how long close() waits for the listener's lost() before the latch node goes anyway.
  private static final Duration LOST_BEFORE_LEAVING = Duration.ofSeconds(5);

  private enum State {
    LATENT,
    STARTED,
    CLOSED
  }

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final String nodeId;
  private final StateStore store;
  private final LeadershipListener listener;
  private final LeadershipChanges changes;
  private final ExecutorService listenerThread;
  // The listener executor's one thread, once it exists.
  private volatile Thread listenerThreadRef;
  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final ConnectionStateListener connectionListener = this::connectionChanged;
  private final LeaderLatchListener latchListener =
      new LeaderLatchListener() {
        @Override
        public void isLeader() {
          onLatchGained();
        }

        @Override
        public void notLeader() {
          if (state.get() == State.CLOSED) {
            stepDown(Optional.empty(), "stepped down (node stopping)");
          } else {
            stepDown(Optional.of(StepDownReason.LATCH_LOST), "latch lost");
          }
        }
      };
  private final Object latchLock = new Object();
  private volatile LeaderLatch latch;
  private final CuratorCache latchView;
  private final LeaderLease lease;

  private volatile boolean leading;
  // The current term is in doubt as last told to the listener; written on listenerThread only.
  private volatile boolean doubted;
  private volatile boolean connected;
  private volatile long epoch;
  // Confined to listenerThread: whether acquired() was called without a matching lost().
  private boolean acquired;

  public CuratorLeaderElection(
      CuratorFramework client,
      ZkPaths paths,
      String nodeId,
      StateStore store,
      LeadershipListener listener) {
    this(
        client,
        paths,
        nodeId,
        store,
        listener,
        LeaderLeaseConfig.DISABLED,
        id -> Optional.empty(),
        LeadershipChanges.NONE);
  }

  /**
   * An election with the leader lease {@code leaseConfig}.
   *
   * @param adminAddress a node's admin {@code host:port}, probed for refused connections
   * @param changes told of the takeovers this node performs and the step-downs it suffers
   */
  public CuratorLeaderElection(
      CuratorFramework client,
      ZkPaths paths,
      String nodeId,
      StateStore store,
      LeadershipListener listener,
      LeaderLeaseConfig leaseConfig,
      Function<String, Optional<String>> adminAddress,
      LeadershipChanges changes) {
    this.client = Objects.requireNonNull(client, "client");
    this.paths = Objects.requireNonNull(paths, "paths");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.store = Objects.requireNonNull(store, "store");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.listenerThread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = Thread.ofPlatform().name("haddns-election-" + nodeId).unstarted(r);
              listenerThreadRef = t;
              return t;
            });
    this.latch = newLatch();
    this.latchView = CuratorCache.build(client, paths.leader());
    this.lease =
        leaseConfig.enabled()
            ? new LeaderLease(
                client,
                paths,
                nodeId,
                leaseConfig,
                new LeaseHost(),
                store::currentEpoch,
                adminAddress::apply,
                PortProbe.tcp(),
                changes,
                System::nanoTime,
                Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("haddns-lease-" + nodeId).daemon().factory()))
            : null;
  }

  private LeaderLatch newLatch() {
    return new LeaderLatch(client, paths.leader(), nodeId, LeaderLatch.CloseMode.NOTIFY_LEADER);
  }

  /** The lease's view of this election. */
  private final class LeaseHost implements LeaderLease.Host {
    @Override
    public boolean leading() {
      return leading;
    }

    @Override
    public long epoch() {
      return epoch;
    }

    @Override
    public Optional<String> ownLatchPath() {
      return Optional.ofNullable(latch.getOurPath());
    }

    @Override
    public boolean latchNodeExists(String path) {
      return latchView.get(path).isPresent();
    }

    @Override
    public boolean othersInElection() {
      String own = latch.getOurPath();
      return latchView.stream()
          .map(ChildData::getPath)
          .anyMatch(
              p -> p.startsWith(paths.leader() + "/") && p.contains("latch-") && !p.equals(own));
    }

    @Override
    public void leaseDoubtChanged(long term) {
      submit(
          () -> {
            if (!leading || epoch != term || lease == null) {
              return;
            }
            boolean now = lease.inDoubt(term);
            if (now == doubted) {
              return;
            }
            doubted = now;
            if (now) {
              log.warn("election node={} epoch={} leadership in doubt: writes held", nodeId, term);
              listener.inDoubt(term);
            } else {
              log.info("election node={} epoch={} leadership confirmed", nodeId, term);
              listener.confirmed(term);
            }
          });
    }

    @Override
    public void leaseLost(long term, StepDownReason why, String reason) {
      submit(
          () -> {
            if (leading && epoch == term) {
              rejoin(why, "lease: " + reason);
            }
          });
    }
  }

  /** Joins the election; returns at once, also when ZooKeeper is unreachable. */
  @Override
  public void start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("election already started or closed");
    }
    connected = client.getZookeeperClient().isConnected();
    client.getConnectionStateListenable().addListener(connectionListener);
    latch.addListener(latchListener, listenerThread);
    latchView.start();
    try {
      latch.start();
    } catch (Exception e) {
      throw new IllegalStateException("election could not start its latch", e);
    }
    if (lease != null) {
      lease.start();
    }
    log.info("election node={} joined path={}", nodeId, paths.leader());
  }

  /** True while this node leads and its term is not in doubt. */
  @Override
  public boolean isLeader() {
    return leading && !doubted;
  }

  @Override
  public long epoch() {
    return leading ? epoch : 0;
  }

  /** From a cache of the latch nodes: the participant id of the lowest sequence. Never blocks. */
  @Override
  public Optional<String> leaderId() {
    if (leading) {
      return Optional.of(nodeId);
    }
    return latchView.stream()
        .filter(d -> d.getPath().startsWith(paths.leader() + "/") && d.getPath().contains("latch-"))
        .min(Comparator.comparing(CuratorLeaderElection::sequenceOf))
        .map(ChildData::getData)
        .filter(data -> data != null && data.length > 0)
        .map(data -> new String(data, StandardCharsets.UTF_8));
  }

  private static String sequenceOf(ChildData d) {
    String p = d.getPath();
    return p.substring(p.lastIndexOf("latch-") + "latch-".length());
  }

  // Retries only as long as this node still holds the latch and a connection: once either goes,
  // the latch listener or the connection listener takes over.
  private void onLatchGained() {
    for (int attempt = 1;
        latch.hasLeadership() && connected && state.get() == State.STARTED;
        attempt++) {
      try {
        becomeLeader(store.beginTerm(latch.getOurPath()));
        return;
      } catch (NotLeaderException e) {
        log.warn("election node={} not leading: {}", nodeId, e.getMessage());
        if (lease != null) {
          // The latch still says we lead but our node is gone (a follower removed it): Curator
          // would not notice by itself, so join again.
          rejoin(StepDownReason.LATCH_REMOVED, e.getMessage());
        }
        return;
      } catch (StoreUnavailableException e) {
        log.warn(
            "election node={} begin term attempt={} failed: {}", nodeId, attempt, e.getMessage());
        if (!pause(BEGIN_TERM_BACKOFF.multipliedBy(Math.min(attempt, 5)))) {
          return;
        }
      } catch (RuntimeException e) {
        log.error("election node={} could not begin a term; not leading", nodeId, e);
        return;
      }
    }
  }

  private void becomeLeader(long term) {
    epoch = term;
    doubted = false;
    leading = true;
    // Re-check after publishing: a SUSPENDED seen meanwhile flips "connected" before "leading",
    // so either we see it here or its stepDown runs after us on this thread.
    if (!connected || !latch.hasLeadership()) {
      leading = false;
      log.warn("election node={} epoch={} lost before acting", nodeId, term);
      return;
    }
    acquired = true;
    log.info("election node={} leader epoch={}", nodeId, term);
    if (lease != null) {
      lease.termBegun(term);
    }
    listener.acquired(term);
  }

  /** Ends the term; {@code why} is empty when this node stops, else it is counted. */
  private void stepDown(Optional<StepDownReason> why, String reason) {
    leading = false;
    doubted = false;
    if (lease != null) {
      lease.termEnded();
    }
    if (!acquired) {
      return;
    }
    acquired = false;
    if (state.get() == State.CLOSED) {
      log.info("election node={} leadership handed over epoch={} reason={}", nodeId, epoch, reason);
    } else {
      log.warn("election node={} leadership lost epoch={} reason={}", nodeId, epoch, reason);
    }
    why.ifPresent(changes::steppedDown);
    listener.lost(reason);
  }

  private void connectionChanged(CuratorFramework c, ConnectionState newState) {
    switch (newState) {
      case CONNECTED, RECONNECTED -> connected = true;
      case SUSPENDED, LOST, READ_ONLY -> {
        connected = false;
        leading = false;
        StepDownReason why =
            switch (newState) {
              case SUSPENDED -> StepDownReason.ZOOKEEPER_SUSPENDED;
              case LOST -> StepDownReason.ZOOKEEPER_LOST;
              default -> StepDownReason.ZOOKEEPER_READ_ONLY;
            };
        submit(() -> stepDown(Optional.of(why), "zookeeper " + newState));
      }
    }
  }

  /**
   * On the listener thread: ends this node's term and joins the election again with a new latch
   * node at the back of the queue; the old one is removed if it still exists.
   */
  private void rejoin(StepDownReason why, String reason) {
    stepDown(Optional.of(why), reason);
    synchronized (latchLock) {
      if (state.get() != State.STARTED) {
        return;
      }
      LeaderLatch old = latch;
      old.removeListener(latchListener);
      try {
        old.close(LeaderLatch.CloseMode.SILENT);
      } catch (IOException | RuntimeException e) {
        log.warn("election node={} old latch close failed: {}", nodeId, e.toString());
      }
      LeaderLatch next = newLatch();
      next.addListener(latchListener, listenerThread);
      latch = next;
      try {
        next.start();
      } catch (Exception e) {
        log.error("election node={} could not rejoin the election", nodeId, e);
        return;
      }
    }
    log.info("election node={} joined again as a follower after: {}", nodeId, reason);
  }

  private boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // On the listener thread, so lost() keeps its order with the other listener calls; a listener
  // that closes the election from its own callback ends the term right here instead.
  private void endTermBeforeLeaving() {
    if (Thread.currentThread() == listenerThreadRef) {
      stepDown(Optional.empty(), "stepped down (node stopping)");
      return;
    }
    try {
      listenerThread
          .submit(() -> stepDown(Optional.empty(), "stepped down (node stopping)"))
          .get(LOST_BEFORE_LEAVING.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "election node={} listener did not end the term within {} ms; leaving anyway",
          nodeId,
          LOST_BEFORE_LEAVING.toMillis());
    } catch (ExecutionException | RejectedExecutionException e) {
      log.warn("election node={} ending the term failed: {}", nodeId, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit(Runnable task) {
    if (!listenerThread.isShutdown()) {
      listenerThread.execute(task);
    }
  }

  /**
   * Leaves the election: the term ends first — {@code lost} has returned — and only then does the
   * latch node go, so another node takes over at once but never while this one still acts on its
   * term.
   */
  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) != State.STARTED) {
      return;
    }
    leading = false;
    if (lease != null) {
      lease.close();
    }
    endTermBeforeLeaving();
    synchronized (latchLock) {
      try {
        latch.close();
      } catch (IOException | IllegalStateException e) {
        log.warn("election node={} latch close failed: {}", nodeId, e.getMessage());
      }
    }
    client.getConnectionStateListenable().removeListener(connectionListener);
    latchView.close();
    listenerThread.shutdown();
    try {
      if (!listenerThread.awaitTermination(5, TimeUnit.SECONDS)) {
        listenerThread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listenerThread.shutdownNow();
    }
    log.info("election node={} closed", nodeId);
  }
}
