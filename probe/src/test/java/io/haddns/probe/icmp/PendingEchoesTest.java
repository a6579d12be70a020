package io.haddns.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.ProbeResult;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingEchoesTest {
  private static final byte[] TARGET = {127, 0, 0, 1};
  private static final byte[] OTHER = {127, 0, 0, 2};

  private final PendingEchoes pending = new PendingEchoes(65535);

  private PendingEchoes.Pending add(long cookie, long now, long timeout) {
    return pending.add(TARGET, cookie, now, timeout, new CompletableFuture<ProbeResult>());
  }

  @Test
  void wrapsSequenceNumbersAndSkipsOnesInFlight() {
    assertThat(add(1, 0, 10).sequence()).isEqualTo(65535);
    PendingEchoes.Pending second = add(2, 0, 10);
    assertThat(second.sequence()).isZero();
  }

  @Test
  void matchesAReplyOnlyWithTheRightSequenceSourceAndCookie() {
    PendingEchoes.Pending p = add(42, 0, 10);
    assertThat(pending.matchReply(p.sequence(), TARGET, 41)).isNull();
    assertThat(pending.matchReply(p.sequence(), OTHER, 42)).isNull();
    assertThat(pending.matchReply(p.sequence(), TARGET, 42)).isSameAs(p);
    assertThat(pending.matchReply(p.sequence(), TARGET, 42)).isNull();
  }

  @Test
  void expiresRequestsPastTheirDeadlineInDeadlineOrder() {
    PendingEchoes.Pending late = add(1, 0, 300);
    PendingEchoes.Pending early = add(2, 0, 100);
    PendingEchoes.Pending answered = add(3, 0, 50);
    pending.matchReply(answered.sequence(), TARGET, 3);

    assertThat(pending.nanosUntilNextDeadline(0)).isEqualTo(100);
    assertThat(pending.expire(99)).isEmpty();
    assertThat(pending.expire(100)).containsExactly(early);
    assertThat(pending.expire(1000)).containsExactly(late);
    assertThat(pending.nanosUntilNextDeadline(1000)).isEqualTo(-1);
  }

  @Test
  void drainsEverythingOnClose() {
    add(1, 0, 10);
    add(2, 0, 10);
    assertThat(pending.drain()).hasSize(2);
    assertThat(pending.expire(Long.MAX_VALUE)).isEmpty();
  }
}
