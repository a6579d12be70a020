package io.haddns.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.ProbeResult;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingSynsTest {
  private static final int TARGET = 0xc6336407;
  private final PendingSyns pending = new PendingSyns(3);

  private PendingSyns.Pending add(int seq, long now, long timeout) {
    return pending.add(seq, TARGET, 443, 40000, now, timeout, new CompletableFuture<ProbeResult>());
  }

  @Test
  void matchesAnAnswerOnlyWhenAddressPortsAndAcknowledgmentAllFit() {
    PendingSyns.Pending p = add(100, 0, 1_000);

    assertThat(pending.match(new SynSegment.Answer(TARGET + 1, 443, 40000, 101, false)))
        .as("another address")
        .isNull();
    assertThat(pending.match(new SynSegment.Answer(TARGET, 80, 40000, 101, false)))
        .as("another port")
        .isNull();
    assertThat(pending.match(new SynSegment.Answer(TARGET, 443, 40001, 101, false)))
        .as("another source port")
        .isNull();
    assertThat(pending.match(new SynSegment.Answer(TARGET, 443, 40000, 100, false)))
        .as("acknowledges another sequence number")
        .isNull();
    assertThat(pending.match(new SynSegment.Answer(TARGET, 443, 40000, 101, false))).isSameAs(p);
    assertThat(pending.match(new SynSegment.Answer(TARGET, 443, 40000, 101, false)))
        .as("answered once")
        .isNull();
  }

  @Test
  void wrapsTheAcknowledgmentAroundTheTopSequenceNumber() {
    PendingSyns.Pending p = add(-1, 0, 1_000);
    assertThat(pending.match(new SynSegment.Answer(TARGET, 443, 40000, 0, false))).isSameAs(p);
  }

  @Test
  void expiresOnlyUnansweredSynsAtTheirDeadlines() {
    PendingSyns.Pending answered = add(1, 0, 100);
    PendingSyns.Pending late = add(2, 0, 100);
    PendingSyns.Pending later = add(3, 0, 500);
    pending.match(new SynSegment.Answer(TARGET, 443, 40000, 2, false));

    assertThat(pending.nanosUntilNextDeadline(50)).isEqualTo(50);
    assertThat(pending.expire(99)).isEmpty();
    assertThat(pending.expire(100)).containsExactly(late);
    assertThat(pending.nanosUntilNextDeadline(100)).isEqualTo(400);
    assertThat(pending.expire(1_000)).containsExactly(later);
    assertThat(pending.nanosUntilNextDeadline(1_000)).isEqualTo(-1);
    assertThat(answered.seq()).isEqualTo(1);
  }

  @Test
  void refusesATakenSequenceNumberAndMoreThanItsLimit() {
    add(1, 0, 100);
    assertThat(add(1, 0, 100)).as("taken").isNull();
    assertThat(pending.full()).isFalse();
    add(2, 0, 100);
    add(3, 0, 100);
    assertThat(add(4, 0, 100)).as("over the limit").isNull();
    assertThat(pending.full()).isTrue();
    assertThat(pending.drain()).hasSize(3);
    assertThat(pending.size()).isZero();
  }
}
