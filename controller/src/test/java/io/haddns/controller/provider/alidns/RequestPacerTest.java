package io.haddns.controller.provider.alidns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestPacerTest {
  private Instant now = Instant.parse("2025-01-01T00:00:00Z");
  private final List<Duration> slept = new ArrayList<>();
  private final InstantSource clock = () -> now;

  private RequestPacer pacer(int perSecond) {
    return new RequestPacer(
        perSecond,
        clock,
        d -> {
          slept.add(d);
          now = now.plus(d);
        });
  }

  @Test
  void spacesRequestsSoNoSecondHoldsMoreThanTheRate() throws Exception {
    RequestPacer p = pacer(20);
    Instant start = now;
    List<Instant> sent = new ArrayList<>();
    for (int i = 0; i < 41; i++) {
      p.acquire();
      sent.add(now);
    }

    for (int i = 20; i < sent.size(); i++) {
      assertThat(Duration.between(sent.get(i - 20), sent.get(i)))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
    assertThat(Duration.between(start, now)).isLessThan(Duration.ofMillis(2200));
  }

  @Test
  void doesNotWaitWhenRequestsAreAlreadySparse() throws Exception {
    RequestPacer p = pacer(20);
    p.acquire();
    now = now.plusSeconds(1);
    p.acquire();

    assertThat(slept).isEmpty();
  }

  @Test
  void refusesARateBelowOne() {
    assertThatThrownBy(() -> pacer(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
