package io.haddns.controller.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.StepDownRequest;
import io.haddns.controller.testing.InMemoryIntentStore;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.controller.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaderHandOverTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final InMemoryIntentStore intents = new InMemoryIntentStore(store);
  private final ManualTimers timers = new ManualTimers();

  private final class Node implements LeaderHandOver.Election {
    final List<String> calls = new ArrayList<>();
    final LeaderHandOver handOver;

    Node(String id) {
      handOver =
          new LeaderHandOver(
              intents,
              id,
              clock,
              timers,
              Runnable::run,
              () -> Set.of("node-1", "node-2", "node-3"),
              this);
    }

    @Override
    public void leave(String reason) {
      calls.add("leave");
    }

    @Override
    public void join() {
      calls.add("join");
    }
  }

  private void request(long fromEpoch, Optional<String> to) {
    intents.requestStepDown(
        new StepDownRequest("r1", fromEpoch, to, "alice", clock.instant()),
        new AuditEvent(clock.instant(), "node-3", "step-down", ""));
  }

  @Test
  void leaderOfTheRequestedTermLeavesAndJoinsAgainAtTheBack() {
    Node leader = new Node("node-1");
    request(4, Optional.empty());

    leader.handOver.check(4);
    leader.handOver.check(0);

    assertThat(leader.calls).containsExactly("leave", "join");
  }

  @Test
  void nextLeaderRemovesTheRequestAndALaterTermLeaderIgnoresIt() {
    Node next = new Node("node-2");
    request(4, Optional.empty());

    next.handOver.check(5);

    assertThat(intents.stepDown()).isEmpty();
    assertThat(next.calls).isEmpty();
  }

  @Test
  void withATargetOtherFollowersKeepOutUntilTheTargetLeads() {
    Node leader = new Node("node-1");
    Node target = new Node("node-2");
    Node other = new Node("node-3");
    request(4, Optional.of("node-2"));

    other.handOver.check(0);
    target.handOver.check(0);
    leader.handOver.check(4);
    assertThat(other.calls).containsExactly("leave");
    assertThat(target.calls).isEmpty();
    // The leader gives the others a moment to leave before it yields.
    assertThat(leader.calls).isEmpty();
    assertThat(timers.live())
        .extracting(ManualTimers.Pending::delay)
        .contains(LeaderHandOver.TARGET_GRACE);
    timers.live().stream()
        .filter(t -> t.delay().equals(LeaderHandOver.TARGET_GRACE))
        .forEach(t -> t.task().run());
    assertThat(leader.calls).containsExactly("leave");

    target.handOver.check(5);
    assertThat(intents.stepDown()).isEmpty();
    other.handOver.check(0);
    leader.handOver.check(0);
    assertThat(other.calls).containsExactly("leave", "join");
    assertThat(leader.calls).containsExactly("leave", "join");
  }

  @Test
  void aLeaderThatIsNotTheTargetYieldsAgain() {
    Node wrong = new Node("node-3");
    request(4, Optional.of("node-2"));

    wrong.handOver.check(5);
    timers.fireAll();

    assertThat(wrong.calls).containsExactly("leave");
    assertThat(intents.stepDown()).isPresent();
  }

  @Test
  void keptOutNodesJoinAgainAfterTheBoundEvenIfTheRequestStays() {
    Node other = new Node("node-3");
    request(4, Optional.of("node-2"));
    other.handOver.check(0);

    clock.advance(LeaderHandOver.KEEP_OUT.plus(Duration.ofMillis(1)));
    timers.fireAll();

    assertThat(other.calls).containsExactly("leave", "join");
  }

  @Test
  void aLeaderWhoseTermIsOverLeavesANewerTermsRequestAlone() {
    Node stale = new Node("node-1");
    request(5, Optional.empty());

    stale.handOver.check(4);

    assertThat(stale.calls).isEmpty();
    assertThat(intents.stepDown()).isPresent();
  }

  @Test
  void aStaleRequestIsRemovedByTheLeaderWithoutYielding() {
    Node leader = new Node("node-1");
    request(4, Optional.empty());
    clock.advance(LeaderHandOver.KEEP_OUT.plusSeconds(1));

    leader.handOver.check(4);

    assertThat(leader.calls).isEmpty();
    assertThat(intents.stepDown()).isEmpty();
  }
}
