package io.haddns.controller.election;

import io.haddns.controller.config.LeaderLeaseConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A follower's verdict on the leader, from the lease as this follower saw it (docs/architecture.md,
 * "Fast takeover").
 *
 * <p>The lease's age is how long ago this follower last saw it <em>change</em>, measured on an
 * injected monotonic ticker (nanoseconds, like {@link System#nanoTime()}): no wall-clock time of
 * any node is compared, so a clock jump on any node never makes a lease look old. A follower that
 * could not read the lease ({@link #forget()}) starts counting again at its next read, so its own
 * pauses and disconnections never count against the leader.
 *
 * <p>The leader is judged dead when the lease of the current epoch, whose latch node still exists,
 * has not changed for {@code detection}; or for {@code refusedDetection} when in addition the
 * leader's admin port refuses connections; or at once when the process that holds that very lease
 * was seen to end ({@link #processGone}: its connection closed, then its port refused). Not
 * thread-safe: one follower thread uses it.
 */
public final class LeaseJudge {

  /** What the follower should do. */
  public sealed interface Verdict {}

  /** Nothing: the leader renews, or there is nothing to judge yet ({@code why} for debug logs). */
  public record Alive(String why) implements Verdict {}

  /**
   * Remove the leader's latch node, on condition that the lease still has {@code version}; for
   * {@link LeadershipChanges.TakeoverReason#PORT_CLOSED} without that condition (a process seen to
   * end renews no more).
   *
   * @param unchangedFor how long the lease was seen unchanged
   * @param cause which signal decided, for the takeover metric
   * @param reason for the log and the audit trail
   */
  public record Dead(
      LeaseRecord lease,
      int version,
      Duration unchangedFor,
      LeadershipChanges.TakeoverReason cause,
      String reason)
      implements Verdict {}

  /** Asks whether a node's admin port refuses connections right now. */
  @FunctionalInterface
  public interface RefusalCheck {
    boolean refuses(String nodeId);
  }

  private final LeaderLeaseConfig config;
  private final LongSupplier ticker;
  private LeaseRecord lease;
  private int version = -1;
  private long changedAt;
  private LeaseRecord gone;

  public LeaseJudge(LeaderLeaseConfig config, LongSupplier ticker) {
    this.config = Objects.requireNonNull(config, "config");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** A read of the lease node: its content and its data version. */
  public void saw(LeaseRecord record, int dataVersion) {
    if (lease == null || dataVersion != version || !record.equals(lease)) {
      lease = record;
      version = dataVersion;
      changedAt = ticker.getAsLong();
    }
  }

  /**
   * The process that held {@code record} has ended: its connection to the leader's admin port
   * closed and a new connect was refused ({@link LeaderConnection}). It decides only for that exact
   * lease (term, node and latch node), never for a later one.
   */
  public void processGone(LeaseRecord record) {
    gone = record;
  }

  /** The lease could not be read (no connection, no lease node): nothing is known about its age. */
  public void forget() {
    lease = null;
    version = -1;
  }

  /**
   * The verdict now.
   *
   * @param currentEpoch the latest term this node knows of
   * @param latchNodeExists whether a latch node exists, as far as this node knows
   * @param ownLatchPath this node's own latch node, never judged
   * @param refusal asked only once the lease is older than {@code refusedDetection}
   */
  public Verdict verdict(
      long currentEpoch,
      Predicate<String> latchNodeExists,
      String ownLatchPath,
      RefusalCheck refusal) {
    if (lease == null) {
      return new Alive("no lease seen");
    }
    if (lease.epoch() != currentEpoch) {
      // A new term has begun and its leader has not renewed yet, or this node's view lags.
      return new Alive("lease of epoch " + lease.epoch() + ", current " + currentEpoch);
    }
    if (lease.latchPath().equals(ownLatchPath) || !latchNodeExists.test(lease.latchPath())) {
      return new Alive("leader's latch node already gone");
    }
    Duration age = Duration.ofNanos(ticker.getAsLong() - changedAt);
    if (lease.equals(gone)) {
      return new Dead(
          lease,
          version,
          age,
          LeadershipChanges.TakeoverReason.PORT_CLOSED,
          "its connection to the leader's admin port closed and the port refuses connections"
              + " (lease last seen changing "
              + age.toMillis()
              + " ms ago)");
    }
    if (age.compareTo(config.detection()) >= 0) {
      return new Dead(
          lease,
          version,
          age,
          LeadershipChanges.TakeoverReason.LEASE_EXPIRED,
          "lease not renewed for "
              + age.toMillis()
              + " ms (detection "
              + ms(config.detection())
              + ")");
    }
    if (age.compareTo(config.refusedDetection()) >= 0 && refusal.refuses(lease.nodeId())) {
      return new Dead(
          lease,
          version,
          age,
          LeadershipChanges.TakeoverReason.PORT_REFUSED,
          "admin port refuses connections and lease not renewed for "
              + age.toMillis()
              + " ms (refusedDetection "
              + ms(config.refusedDetection())
              + ")");
    }
    return new Alive("lease renewed " + age.toMillis() + " ms ago");
  }

  private static String ms(Duration d) {
    return d.toMillis() + " ms";
  }
}
