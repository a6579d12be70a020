package io.haddns.controller.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.LeaderLeaseConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseJudgeTest {
  private static final String LATCH = "/haddns/c/leader/_c_abc-latch-0000000001";
  private static final String OWN = "/haddns/c/leader/_c_def-latch-0000000002";
  private static final LeaseRecord LEASE = new LeaseRecord(7, "n1", LATCH);

  private final AtomicLong ticker = new AtomicLong(1_000_000_000L);
  private final LeaseJudge judge = new LeaseJudge(LeaderLeaseConfig.DEFAULTS, ticker::get);
  private final List<String> probed = new ArrayList<>();

  private void advance(long millis) {
    ticker.addAndGet(Duration.ofMillis(millis).toNanos());
  }

  private LeaseJudge.Verdict verdict(boolean refused) {
    return judge.verdict(
        7,
        LATCH::equals,
        OWN,
        node -> {
          probed.add(node);
          return refused;
        });
  }

  @Test
  void leaseRenewedEveryIntervalKeepsTheLeaderAlive() {
    for (int i = 0; i < 100; i++) {
      judge.saw(LEASE, i);
      advance(150);
      assertThat(verdict(true)).isInstanceOf(LeaseJudge.Alive.class);
    }
  }

  @Test
  void leaseUnchangedForDetectionJudgesTheLeaderDeadWithTheVersionSeen() {
    judge.saw(LEASE, 41);
    advance(599);
    judge.saw(LEASE, 41);
    assertThat(verdict(false)).isInstanceOf(LeaseJudge.Alive.class);

    advance(1);
    judge.saw(LEASE, 41);

    assertThat(verdict(false))
        .isEqualTo(
            new LeaseJudge.Dead(
                LEASE,
                41,
                Duration.ofMillis(600),
                LeadershipChanges.TakeoverReason.LEASE_EXPIRED,
                "lease not renewed for 600 ms (detection 600 ms)"));
  }

  @Test
  void aLeaderWhoseProcessWasSeenToEndIsJudgedDeadAtOnce() {
    judge.saw(LEASE, 5);
    advance(20);
    judge.processGone(LEASE);

    LeaseJudge.Verdict v = verdict(false);

    assertThat(v).isInstanceOf(LeaseJudge.Dead.class);
    LeaseJudge.Dead dead = (LeaseJudge.Dead) v;
    assertThat(dead.cause()).isEqualTo(LeadershipChanges.TakeoverReason.PORT_CLOSED);
    assertThat(dead.version()).isEqualTo(5);
    assertThat(dead.unchangedFor()).isEqualTo(Duration.ofMillis(20));
    assertThat(probed).as("the watch already saw the port refuse").isEmpty();
  }

  @Test
  void aProcessSeenToEndDecidesOnlyForItsOwnLease() {
    judge.processGone(new LeaseRecord(6, "n1", "/haddns/c/leader/_c_old-latch-0000000000"));
    judge.saw(LEASE, 5);
    assertThat(verdict(false)).as("an earlier term's process").isInstanceOf(LeaseJudge.Alive.class);

    judge.processGone(LEASE);
    assertThat(
            judge.verdict(7, latch -> false, OWN, node -> false)) // the latch node is already gone
        .isInstanceOf(LeaseJudge.Alive.class);
    assertThat(judge.verdict(8, LATCH::equals, OWN, node -> false))
        .as("a newer term has begun")
        .isInstanceOf(LeaseJudge.Alive.class);
  }

  @Test
  void refusedAdminPortShortensTheWaitButOnlyOnceTheLeaseMissedARenewal() {
    judge.saw(LEASE, 3);
    advance(299);
    assertThat(verdict(true)).isInstanceOf(LeaseJudge.Alive.class);
    assertThat(probed).as("no probe while the lease is fresh").isEmpty();

    advance(1);
    LeaseJudge.Verdict v = verdict(true);

    assertThat(v).isInstanceOf(LeaseJudge.Dead.class);
    assertThat(((LeaseJudge.Dead) v).reason()).startsWith("admin port refuses connections");
    assertThat(((LeaseJudge.Dead) v).cause())
        .isEqualTo(LeadershipChanges.TakeoverReason.PORT_REFUSED);
    assertThat(probed).containsExactly("n1");
  }

  @Test
  void anAcceptingPortOfAFrozenLeaderWaitsForTheFullDetection() {
    judge.saw(LEASE, 3);
    advance(450);
    assertThat(verdict(false)).isInstanceOf(LeaseJudge.Alive.class);
    advance(150);
    assertThat(verdict(false)).isInstanceOf(LeaseJudge.Dead.class);
  }

  /**
   * A clock jump on a node (NTP step, an operator, a VM restored from a snapshot) moves wall-clock
   * time only. The lease holds no time ({@link LeaseRecord}: epoch, node, latch node) and the judge
   * takes no wall clock, only the monotonic ticker ({@code System::nanoTime} in production), so an
   * unchanged lease is judged by the time this follower actually waited, however far the node's
   * clock stepped meanwhile.
   */
  @Test
  void aWallClockJumpAloneNeverJudgesTheLeaderDead() {
    assertThat(LeaseRecord.class.getRecordComponents())
        .extracting(c -> c.getName())
        .containsExactly("epoch", "nodeId", "latchPath");
    judge.saw(LEASE, 1);
    advance(550); // while wall clocks jump hours: the ticker moved 550 ms

    assertThat(verdict(false)).isInstanceOf(LeaseJudge.Alive.class);
  }

  @Test
  void aFollowerThatCouldNotReadStartsCountingAgainAtItsNextRead() {
    judge.saw(LEASE, 5);
    advance(100);
    judge.forget(); // e.g. its own connection dropped, or it was paused
    advance(5_000);
    judge.saw(LEASE, 5);

    assertThat(verdict(true)).isInstanceOf(LeaseJudge.Alive.class);
    advance(600);
    assertThat(verdict(false)).isInstanceOf(LeaseJudge.Dead.class);
  }

  @Test
  void anotherTermsLeaseOrAGoneLatchNodeIsNotJudged() {
    judge.saw(LEASE, 5);
    advance(10_000);

    assertThat(judge.verdict(8, LATCH::equals, OWN, n -> true))
        .as("a new term has begun; its leader has not renewed yet")
        .isInstanceOf(LeaseJudge.Alive.class);
    assertThat(judge.verdict(7, p -> false, OWN, n -> true))
        .as("the leader's latch node is already gone")
        .isInstanceOf(LeaseJudge.Alive.class);
    assertThat(judge.verdict(7, LATCH::equals, LATCH, n -> true))
        .as("this node's own latch node")
        .isInstanceOf(LeaseJudge.Alive.class);
    assertThat(judge.verdict(7, LATCH::equals, OWN, n -> true)).isInstanceOf(LeaseJudge.Dead.class);
  }

  @Test
  void aChangedRecordWithTheSameVersionStillCountsAsRenewed() {
    judge.saw(LEASE, 5);
    advance(500);
    judge.saw(new LeaseRecord(7, "n1", LATCH + "x"), 5);
    advance(500);

    assertThat(verdict(false)).isInstanceOf(LeaseJudge.Alive.class);
  }

  @Test
  void nothingSeenIsNothingJudged() {
    advance(60_000);
    assertThat(verdict(true)).isInstanceOf(LeaseJudge.Alive.class);
    assertThat(probed).isEmpty();
  }
}
