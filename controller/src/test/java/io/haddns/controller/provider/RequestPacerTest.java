package io.haddns.controller.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestPacerTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final List<Instant> sent = new ArrayList<>();

  @Test
  void neverLetsMoreThanFiveRequestsIntoAnySecond() throws InterruptedException {
    InstantSource clock = () -> now;
    RequestPacer pacer = new RequestPacer(5, clock, d -> now = now.plus(d));
    for (int i = 0; i < 20; i++) {
      pacer.acquire();
      sent.add(now);
    }
    for (int i = 5; i < sent.size(); i++) {
      assertThat(Duration.between(sent.get(i - 5), sent.get(i)))
          .isGreaterThan(Duration.ofSeconds(1));
    }
    assertThat(Duration.between(sent.get(0), sent.get(19))).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void doesNotWaitAfterAQuietPeriod() throws InterruptedException {
    List<Duration> waits = new ArrayList<>();
    RequestPacer pacer = new RequestPacer(5, () -> now, waits::add);
    pacer.acquire();
    now = now.plusSeconds(3);
    pacer.acquire();
    assertThat(waits).isEmpty();
  }
}
