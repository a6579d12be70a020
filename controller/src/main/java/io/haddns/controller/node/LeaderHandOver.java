package io.haddns.controller.node;

import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.StepDownRequest;
import io.haddns.controller.store.StoreUnavailableException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an operator's step-down request (docs/operations.md, "Leader step-down"). The leader
 * of the request's term leaves the election and joins it again at the back of the queue, so another
 * node takes over. With a target node {@code to}: every other follower keeps out of the election
 * while the request is pending (at most {@link #KEEP_OUT}), the leader yields {@link #TARGET_GRACE}
 * later so they are out first, and a leader that is not the target yields again. The first leader
 * of a later term that is the target (or any node, without a target) removes the request, and the
 * nodes that kept out join again.
 *
 * <p>Threading: {@link #check} runs on the node's leader-work thread.
 */
final class LeaderHandOver {
  private static final Logger log = LoggerFactory.getLogger(LeaderHandOver.class);

  /** How long a request with a target keeps other nodes out of the election, at most. */
  static final Duration KEEP_OUT = Duration.ofSeconds(10);

  /** How long a leader waits before yielding to a target, for the others to leave first. */
  static final Duration TARGET_GRACE = Duration.ofMillis(300);

  /** The election as the hand-over sees it. */
  interface Election {
    /** Leaves the election (a leader's term ends at once). */
    void leave(String reason);

    /** Joins the election again, if it left. */
    void join();
  }

  private final IntentStore intents;
  private final String nodeId;
  private final InstantSource clock;
  private final IntentTimers timer;
  private final Consumer<Runnable> leaderWork;
  private final Supplier<Set<String>> liveMembers;
  private final Election election;
  private String keptOutFor;
  private String yielded;

  LeaderHandOver(
      IntentStore intents,
      String nodeId,
      InstantSource clock,
      IntentTimers timer,
      Consumer<Runnable> leaderWork,
      Supplier<Set<String>> liveMembers,
      Election election) {
    this.intents = intents;
    this.nodeId = nodeId;
    this.clock = clock;
    this.timer = timer;
    this.leaderWork = leaderWork;
    this.liveMembers = liveMembers;
    this.election = election;
  }

  /** The request or the term changed; {@code epoch} is this node's term, 0 when not leading. */
  void check(long epoch) {
    Optional<StepDownRequest> pending = intents.stepDown();
    if (pending.isEmpty()) {
      rejoinIfOut("request cleared");
      return;
    }
    StepDownRequest r = pending.get();
    boolean stale = clock.instant().isAfter(r.at().plus(KEEP_OUT));
    boolean targetHere = r.to().map(nodeId::equals).orElse(false);
    boolean targeted = r.to().isPresent() && liveMembers.get().contains(r.to().get());
    if (epoch != 0) {
      boolean done = epoch > r.fromEpoch() && (!targeted || targetHere);
      if (done || stale) {
        clear(r);
        return;
      }
      if (epoch < r.fromEpoch()) {
        // This node's term is already over (it will find out at its next write): not its request.
        return;
      }
      if (r.id().equals(yielded)) {
        return;
      }
      yielded = r.id();
      if (targeted) {
        timer.schedule(() -> leaderWork.accept(() -> yieldNow(r)), TARGET_GRACE);
      } else {
        yieldNow(r);
      }
      return;
    }
    if (stale) {
      rejoinIfOut("request timed out");
      return;
    }
    if (targeted && !targetHere && keptOutFor == null) {
      keptOutFor = r.id();
      log.info(
          "node={} keeping out of the election: step-down to {} pending", nodeId, r.to().get());
      election.leave("step-down to " + r.to().get() + " pending");
      timer.schedule(() -> leaderWork.accept(() -> rejoinIfOut("keep-out over")), KEEP_OUT);
    }
  }

  private void yieldNow(StepDownRequest r) {
    if (!intents.stepDown().map(p -> p.id().equals(r.id())).orElse(false)) {
      return;
    }
    log.info(
        "node={} stepping down on request id={} by={} to={}",
        nodeId,
        r.id(),
        r.by(),
        r.to().orElse("any"));
    election.leave("step-down requested by " + r.by());
    if (r.to().isPresent() && !r.to().get().equals(nodeId)) {
      keptOutFor = r.id();
      timer.schedule(() -> leaderWork.accept(() -> rejoinIfOut("keep-out over")), KEEP_OUT);
    } else {
      election.join();
    }
  }

  private void rejoinIfOut(String why) {
    if (keptOutFor == null) {
      return;
    }
    keptOutFor = null;
    log.info("node={} joining the election again: {}", nodeId, why);
    election.join();
  }

  private void clear(StepDownRequest r) {
    try {
      intents.clearStepDown(r.id());
    } catch (StoreUnavailableException e) {
      log.warn("step-down id={} not cleared: {}", r.id(), e.getMessage());
    }
  }
}
