package io.haddns.controller.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseHoldTest {
  private final AtomicLong ticker = new AtomicLong(-5_000_000_000L);
  private final LeaseHold hold = new LeaseHold(Duration.ofMillis(550), ticker::get);

  private void advance(long millis) {
    ticker.addAndGet(Duration.ofMillis(millis).toNanos());
  }

  @Test
  void confirmedRenewalsKeepTheLeaseHeldCountedFromWhenTheyWereSent() {
    hold.begin();
    for (int i = 0; i < 20; i++) {
      long sent = hold.now();
      advance(100); // the round trip
      hold.confirmed(sent);
      advance(50);
      assertThat(hold.overdue()).isZero();
    }
  }

  @Test
  void noConfirmationForTheLimitIsOverdueEvenWhileRenewalsAreInFlight() {
    hold.begin();
    advance(100);
    long sent = hold.now();
    advance(300); // confirmed only after a slow round trip: the count runs from the sending
    hold.confirmed(sent);
    advance(249);
    assertThat(hold.overdue()).isZero();

    advance(1);

    assertThat(hold.overdue()).isEqualTo(Duration.ofMillis(550));
  }

  @Test
  void aLateConfirmationOfAnOlderRenewalDoesNotMoveTheCountBack() {
    hold.begin();
    long first = hold.now();
    advance(100);
    long second = hold.now();
    hold.confirmed(second);
    hold.confirmed(first);
    advance(500);

    assertThat(hold.overdue()).isZero();
  }

  @Test
  void anEndedTermIsNeverOverdue() {
    hold.begin();
    hold.end();
    advance(10_000);
    assertThat(hold.overdue()).isZero();
  }

  @Test
  void anOverdueTermFallsInDoubtOnceAndAConfirmedRenewalSentSinceEndsIt() {
    hold.begin();
    long before = hold.now();
    assertThat(hold.doubt()).as("not overdue yet").isFalse();
    advance(550);
    assertThat(hold.doubt()).isTrue();
    assertThat(hold.doubt()).as("already in doubt").isFalse();
    assertThat(hold.inDoubt()).isTrue();

    hold.confirmed(before);
    assertThat(hold.inDoubt()).as("an old renewal proves nothing new").isTrue();

    long sent = hold.now();
    advance(200);
    assertThat(hold.confirmed(sent)).isTrue();
    assertThat(hold.inDoubt()).isFalse();
    assertThat(hold.overdue()).isZero();
  }

  @Test
  void aConfirmationThatIsItselfTooLateDoesNotEndTheDoubt() {
    hold.begin();
    advance(550);
    long sent = hold.now();
    assertThat(hold.doubt()).isTrue();
    advance(600);

    assertThat(hold.confirmed(sent)).isFalse();
    assertThat(hold.inDoubt()).isTrue();
  }

  @Test
  void aNewTermOrAnEndedOneIsNotInDoubt() {
    hold.begin();
    advance(600);
    assertThat(hold.doubt()).isTrue();
    hold.begin();
    assertThat(hold.inDoubt()).isFalse();
    advance(600);
    assertThat(hold.doubt()).isTrue();
    hold.end();
    assertThat(hold.inDoubt()).isFalse();
    assertThat(hold.doubt()).isFalse();
  }
}
