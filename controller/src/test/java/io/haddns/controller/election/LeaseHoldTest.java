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
}
