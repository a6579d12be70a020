package io.haddns.controller.election;

import io.haddns.controller.config.LeaderLeaseConfig;
import io.haddns.controller.store.ZkPaths;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader lease in ZooKeeper (docs/architecture.md, "Fast takeover").
 *
 * <p>While this node leads, it renews {@code lease} every {@code renewInterval} with one
 * transaction: <em>my latch node exists</em> + <em>the epoch is still mine</em> + <em>set the
 * lease</em>. When that transaction finds the latch node gone or the epoch moved, another node has
 * judged this one dead or begun a term: {@link Host#leaseLost} steps it down. When no renewal was
 * confirmed for nearly {@code detection}, before any follower can judge it dead, it tries one
 * renewal and, unless that is confirmed at once, puts its term in doubt ({@link
 * Host#leaseDoubtChanged}): the node writes nothing until a renewal is confirmed again, which ends
 * the doubt, and it gives the term up if none is within another {@code detection}.
 *
 * <p>While it follows, it reads the lease every {@code checkInterval} and asks its {@link
 * LeaseJudge}; when the judge finds the leader dead it removes the leader's latch node in one
 * transaction with <em>the lease still has the version I judged</em>, so a leader that renewed
 * meanwhile (seen late by a lagging server or a paused follower) is never removed. Curator's
 * LeaderLatch then hands leadership to the next node, which begins a new term. A follower also
 * watches the leader's process through an idle connection to its admin port ({@link
 * LeaderConnection}, {@code connectionWatch}): when that closes and the port then refuses, the
 * leader is judged dead at once for exactly that lease, on the lease as last read, and its latch
 * node is removed without the version condition (a process seen to end renews no more). Everything
 * but the watch's blocking read runs on one scheduler thread of its own.
 */
final class LeaderLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);

  /** The limit of one connect of the leader watch: only an unreachable host takes that long. */
  private static final Duration WATCH_CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /** A watch connection closed sooner was closed by a live server: back off before the next. */
  private static final Duration WATCH_MIN_LIFE = Duration.ofSeconds(1);

  private static final Duration WATCH_MAX_BACK_OFF = Duration.ofSeconds(5);

  /** What the lease needs from the election it serves. */
  interface Host {
    /** This node's term has begun and not ended. */
    boolean leading();

    /** The current term, while {@link #leading()}. */
    long epoch();

    /** This node's latch node, if it has one. */
    Optional<String> ownLatchPath();

    /** Whether a latch node exists, from the election's cached view. */
    boolean latchNodeExists(String path);

    /**
     * Whether another node is in the election, from its cached view: only such a node can take
     * over, and only after joining it, so while there is none a leader in doubt has nobody to give
     * way to.
     */
    boolean othersInElection();

    /** The term is over (renewal refused, or not confirmed in time); called on any thread. */
    void leaseLost(long epoch, LeadershipChanges.StepDownReason why, String reason);

    /**
     * Whether term {@code epoch} is in doubt ({@link #inDoubt()}) may have changed; called on any
     * thread, in any order: the host reads the current state when it acts.
     */
    void leaseDoubtChanged(long epoch);
  }

  /** Where a node's admin port is, from the members' registrations. */
  @FunctionalInterface
  interface Addresses {
    Optional<String> adminAddress(String nodeId);
  }

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final String nodeId;
  private final LeaderLeaseConfig config;
  private final Host host;
  private final LongSupplier currentEpoch;
  private final Addresses addresses;
  private final PortProbe probe;
  private final LeadershipChanges changes;
  private final ScheduledExecutorService scheduler;
  private final LeaseJudge judge;
  private final LeaseHold hold;
  private final Duration giveUp;
  private final Optional<LeaderConnection> connection;
  private final AtomicBoolean renewing = new AtomicBoolean();
  private volatile long keptAlone;
  private volatile long heldEpoch;

  LeaderLease(
      CuratorFramework client,
      ZkPaths paths,
      String nodeId,
      LeaderLeaseConfig config,
      Host host,
      LongSupplier currentEpoch,
      Addresses addresses,
      PortProbe probe,
      LeadershipChanges changes,
      LongSupplier ticker,
      ScheduledExecutorService scheduler) {
    this.client = Objects.requireNonNull(client, "client");
    this.paths = Objects.requireNonNull(paths, "paths");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.config = Objects.requireNonNull(config, "config");
    this.host = Objects.requireNonNull(host, "host");
    this.currentEpoch = Objects.requireNonNull(currentEpoch, "currentEpoch");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.judge = new LeaseJudge(config, ticker);
    // Before the followers' bound, with room for how late this node notices (it looks every
    // checkInterval) and for its one last renewal (waited for up to checkInterval): a leader cut
    // off from ZooKeeper has stopped writing before any follower may judge it dead, which counts
    // from when it saw a renewal, after it was sent (docs/architecture.md, "Fast takeover").
    Duration limit = config.detection().minus(config.checkInterval().multipliedBy(2));
    this.hold = new LeaseHold(limit, ticker);
    this.giveUp = limit.plus(config.detection());
    this.connection =
        config.enabled() && config.connectionWatch()
            ? Optional.of(
                new LeaderConnection(
                    nodeId,
                    WATCH_CONNECT_TIMEOUT,
                    WATCH_MIN_LIFE,
                    WATCH_MAX_BACK_OFF,
                    ticker,
                    this::processGone))
            : Optional.empty();
  }

  void start() {
    long renew = config.renewInterval().toNanos();
    long check = config.checkInterval().toNanos();
    scheduler.execute(this::rehearse);
    scheduler.scheduleAtFixedRate(this::renewQuietly, renew, renew, TimeUnit.NANOSECONDS);
    scheduler.scheduleWithFixedDelay(this::checkQuietly, check, check, TimeUnit.NANOSECONDS);
  }

  /**
   * Sends one transaction that only checks the epoch node, as a renewal and a takeover would send
   * theirs: a follower's first takeover then does not load and link that path while the cluster
   * waits for it (docs/architecture.md, "Fast takeover"). It changes nothing.
   */
  private void rehearse() {
    try {
      client
          .transaction()
          .inBackground((c, e) -> {})
          .forOperations(List.of(client.transactionOp().check().forPath(paths.epoch())));
    } catch (Exception e) {
      log.debug("lease node={} rehearsal not sent: {}", nodeId, e.toString());
    }
  }

  /** This node has begun term {@code epoch}: renew at once, then every renewInterval. */
  void termBegun(long epoch) {
    heldEpoch = epoch;
    hold.begin();
    scheduler.execute(this::renewQuietly);
  }

  /** This node's term is over. */
  void termEnded() {
    heldEpoch = 0;
    hold.end();
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) {
      log.warn("lease node={} renewal failed: {}", nodeId, e.toString());
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("lease node={} check failed: {}", nodeId, e.toString());
    }
  }

  // ---- leader side ----

  private void renew() {
    long epoch = heldEpoch;
    if (epoch == 0 || !host.leading() || host.epoch() != epoch) {
      return;
    }
    Optional<String> latch = host.ownLatchPath();
    if (overdue(epoch, latch)) {
      return;
    }
    if (latch.isEmpty() || !client.getZookeeperClient().isConnected()) {
      return;
    }
    if (!renewing.compareAndSet(false, true)) {
      return; // the previous renewal is still in flight; overdue() bounds how long that may last
    }
    send(epoch, latch.get()).whenComplete((ok, e) -> renewing.set(false));
  }

  /**
   * True when no renewal of term {@code epoch} was confirmed for the hold limit and this call acted
   * on it: the first time, one renewal now decides, and unless ZooKeeper confirms it within
   * checkInterval the term is put in doubt; a term in doubt is given up once no renewal was
   * confirmed for {@code giveUp}. While in doubt (and under {@code giveUp}) it returns false, so
   * renewals go on and the first one confirmed ends the doubt.
   */
  private boolean overdue(long epoch, Optional<String> latch) {
    Duration overdue = hold.overdue();
    if (overdue.isZero()) {
      return false;
    }
    if (hold.inDoubt()) {
      if (overdue.compareTo(giveUp) < 0) {
        return false;
      }
      if (!host.othersInElection()) {
        // Alone, giving the term up would only start another (a new epoch, fence claim and
        // read-back of every zone) on the same loaded ZooKeeper: the term is kept, its writes held,
        // until a renewal is confirmed or refused. A node joining meanwhile can take over only
        // after its own detection, and fencing stops this one's writes then as always.
        if (keptAlone != epoch) {
          keptAlone = epoch;
          log.warn(
              "lease node={} epoch={} no renewal confirmed for {} ms and no other node in the"
                  + " election: the term is kept in doubt, writes held until a renewal is"
                  + " confirmed",
              nodeId,
              epoch,
              overdue.toMillis());
        }
        return false;
      }
      giveUp(epoch, overdue);
      return true;
    }
    // Frozen, starved or cut off: one renewal now decides. It succeeds only while no follower has
    // removed the latch node and no term has begun, and once it has, no follower's removal
    // (conditional on the version it judged) can succeed: the process was only paused, it keeps
    // leading.
    if (latch.isPresent() && confirmedWithin(send(epoch, latch.get()), config.checkInterval())) {
      log.info(
          "lease node={} epoch={} renewed after {} ms without a confirmed renewal",
          nodeId,
          epoch,
          overdue.toMillis());
      return true;
    }
    if (latch.isEmpty()) {
      giveUp(epoch, overdue);
      return true;
    }
    // Unconfirmed is not refused: the renewal may be slow (this process or ZooKeeper starved).
    // Stop writing now, before any follower may judge this leader dead, and keep the term while
    // renewals go on: a confirmed one proves nobody took over and ends the doubt; a refused one
    // (latch removed, epoch moved) ends the term.
    if (hold.doubt()) {
      changes.leaseDoubted();
      log.warn(
          "lease node={} epoch={} no renewal confirmed for {} ms: leadership in doubt, writes held"
              + " until one is; the term is given up if none is within {} ms",
          nodeId,
          epoch,
          overdue.toMillis(),
          giveUp.toMillis());
      host.leaseDoubtChanged(epoch);
    }
    return true;
  }

  private void giveUp(long epoch, Duration overdue) {
    if (heldEpoch == epoch) {
      termEnded();
      host.leaseLost(
          epoch,
          LeadershipChanges.StepDownReason.LEASE_UNCONFIRMED,
          "lease not renewed for "
              + overdue.toMillis()
              + " ms: followers may already judge this leader dead");
    }
  }

  /** Term {@code epoch} is held by this node and in doubt (see {@link #overdue}). */
  boolean inDoubt(long epoch) {
    return heldEpoch == epoch && hold.inDoubt();
  }

  /** Sends one renewal; the future completes with whether ZooKeeper confirmed it. */
  private CompletableFuture<Boolean> send(long epoch, String latch) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    long sentAt = hold.now();
    byte[] data = new LeaseRecord(epoch, nodeId, latch).encode();
    try {
      TransactionOp tx = client.transactionOp();
      List<CuratorOp> ops =
          List.of(
              tx.check().forPath(latch),
              tx.check().withVersion((int) epoch).forPath(paths.epoch()),
              tx.setData().forPath(paths.leaderLease(), data));
      client
          .transaction()
          .inBackground((c, event) -> done.complete(renewed(event, epoch, sentAt, latch)))
          .forOperations(ops);
    } catch (Exception e) {
      log.warn("lease node={} renewal not sent: {}", nodeId, e.toString());
      done.complete(false);
    }
    return done;
  }

  private static boolean confirmedWithin(CompletableFuture<Boolean> renewal, Duration limit) {
    try {
      return renewal.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // On ZooKeeper's event thread: record, or hand the loss to the host, nothing blocking.
  private boolean renewed(CuratorEvent event, long epoch, long sentAt, String latch) {
    Code code = Code.get(event.getResultCode());
    if (code == Code.OK) {
      if (hold.confirmed(sentAt)) {
        log.info(
            "lease node={} epoch={} renewal confirmed: doubt over, writes resume", nodeId, epoch);
        host.leaseDoubtChanged(epoch);
      }
      return true;
    }
    var results = event.getOpResults();
    if (results == null || results.size() < 3) {
      return false; // connection loss and the like: the connection listener and overdue() act
    }
    if (results.get(0).getError() != 0) {
      termEnded();
      host.leaseLost(
          epoch,
          LeadershipChanges.StepDownReason.LATCH_REMOVED,
          "latch node " + latch + " removed: another node judged this leader dead");
    } else if (results.get(1).getError() != 0) {
      termEnded();
      host.leaseLost(
          epoch,
          LeadershipChanges.StepDownReason.EPOCH_MOVED,
          "epoch moved past " + epoch + ": another node began a term");
    } else if (results.get(2).getError() == Code.NONODE.intValue()) {
      createLease();
    }
    return false;
  }

  private void createLease() {
    try {
      client
          .create()
          .inBackground(
              (c, e) -> {
                Code code = Code.get(e.getResultCode());
                if (code == Code.OK) {
                  log.info("lease node={} created {}", nodeId, paths.leaderLease());
                  scheduler.execute(this::renewQuietly);
                } else if (code != Code.NODEEXISTS) {
                  log.warn("lease node={} could not create the lease: {}", nodeId, code);
                }
              })
          .forPath(paths.leaderLease(), new byte[0]);
    } catch (Exception e) {
      log.warn("lease node={} could not create the lease: {}", nodeId, e.toString());
    }
  }

  // ---- follower side ----

  private void check() {
    long epoch = heldEpoch;
    if (epoch != 0 && host.leading() && host.epoch() == epoch) {
      // The leader looks at its own lease as often as followers look at it.
      connection.ifPresent(LeaderConnection::stop);
      overdue(epoch, host.ownLatchPath());
      judge.forget();
      return;
    }
    if (host.leading() || !client.getZookeeperClient().isConnected()) {
      judge.forget();
      return;
    }
    Optional<Read> read = readLease();
    if (read.isEmpty()) {
      judge.forget();
      return;
    }
    judge.saw(read.get().lease(), read.get().version());
    watch(read.get().lease());
    if (verdict() instanceof LeaseJudge.Dead dead) {
      takeOver(dead);
    }
  }

  /** The judge's verdict on the lease as this follower last read it. */
  private LeaseJudge.Verdict verdict() {
    return judge.verdict(
        currentEpoch.getAsLong(),
        host::latchNodeExists,
        host.ownLatchPath().orElse(""),
        this::refuses);
  }

  private record Read(LeaseRecord lease, int version) {}

  private Optional<Read> readLease() {
    CompletableFuture<CuratorEvent> future = new CompletableFuture<>();
    try {
      client.getData().inBackground((c, e) -> future.complete(e)).forPath(paths.leaderLease());
      CuratorEvent e = future.get(roundLimit(), TimeUnit.NANOSECONDS);
      if (e.getResultCode() != 0 || e.getStat() == null) {
        return Optional.empty();
      }
      return LeaseRecord.decode(e.getData()).map(r -> new Read(r, e.getStat().getVersion()));
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      log.debug("lease node={} read failed: {}", nodeId, e.toString());
      return Optional.empty();
    }
  }

  /** Keeps the leader watch on the process that holds the current term's lease. */
  private void watch(LeaseRecord lease) {
    if (connection.isEmpty()
        || lease.epoch() != currentEpoch.getAsLong()
        || lease.latchPath().equals(host.ownLatchPath().orElse(""))) {
      return;
    }
    addresses.adminAddress(lease.nodeId()).ifPresent(a -> connection.get().watch(lease, a));
  }

  /** On a watch thread: the process that held {@code lease} ended; judge at once. */
  private void processGone(LeaseRecord lease, String address) {
    try {
      scheduler.execute(
          () -> {
            judge.processGone(lease);
            judgeGoneQuietly();
          });
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  /**
   * Judges on the lease as last read, without reading it again: when that is the lease whose
   * process ended, nothing a newer read could show would keep its latch node (its renewals before
   * its end say nothing of after). Otherwise a full check decides.
   */
  private void judgeGoneQuietly() {
    try {
      if (!host.leading() && client.getZookeeperClient().isConnected()) {
        if (verdict() instanceof LeaseJudge.Dead dead
            && dead.cause() == LeadershipChanges.TakeoverReason.PORT_CLOSED) {
          takeOver(dead);
          return;
        }
      }
      check();
    } catch (RuntimeException e) {
      log.warn("lease node={} check failed: {}", nodeId, e.toString());
    }
  }

  private boolean refuses(String leader) {
    Optional<String> address = addresses.adminAddress(leader);
    return address.isPresent() && probe.refused(address.get(), config.checkInterval());
  }

  private void takeOver(LeaseJudge.Dead dead) {
    LeaseRecord lease = dead.lease();
    CompletableFuture<CuratorEvent> future = new CompletableFuture<>();
    try {
      TransactionOp tx = client.transactionOp();
      // The lease version guards a verdict on the lease's age: a renewal since shows the leader
      // alive. A process seen to end cannot renew after its end, so its latch node goes as it is.
      List<CuratorOp> ops =
          dead.cause() == LeadershipChanges.TakeoverReason.PORT_CLOSED
              ? List.of(tx.delete().forPath(lease.latchPath()))
              : List.of(
                  tx.check().withVersion(dead.version()).forPath(paths.leaderLease()),
                  tx.delete().forPath(lease.latchPath()));
      client.transaction().inBackground((c, e) -> future.complete(e)).forOperations(ops);
      CuratorEvent e = future.get(Math.max(roundLimit(), 1_000_000_000L), TimeUnit.NANOSECONDS);
      Code code = Code.get(e.getResultCode());
      if (code == Code.OK) {
        log.warn(
            "lease node={} takeover: leader={} epoch={} judged dead, {}; its latch node {}"
                + " removed",
            nodeId,
            lease.nodeId(),
            lease.epoch(),
            dead.reason(),
            lease.latchPath());
        changes.tookOver(dead.cause());
        judge.forget();
      } else {
        log.info(
            "lease node={} takeover of leader={} epoch={} not needed: {}",
            nodeId,
            lease.nodeId(),
            lease.epoch(),
            switch (code) {
              case BADVERSION -> "the lease was renewed meanwhile";
              case NONODE -> "its latch node is already gone";
              default -> code;
            });
        judge.forget();
      }
    } catch (TimeoutException | ExecutionException e) {
      log.info("lease node={} takeover attempt unanswered: {}", nodeId, e.toString());
      judge.forget();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("lease node={} takeover attempt failed: {}", nodeId, e.toString());
      judge.forget();
    }
  }

  /** How long one follower round may wait for ZooKeeper: the check interval, at least 20 ms. */
  private long roundLimit() {
    return Math.max(config.checkInterval().toNanos(), Duration.ofMillis(20).toNanos());
  }

  @Override
  public void close() {
    termEnded();
    connection.ifPresent(LeaderConnection::close);
    scheduler.shutdownNow();
  }
}
