package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.NotificationsConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotificationDispatcherTest {
  private final NotificationDispatcher dispatcher =
      new NotificationDispatcher(
          new NotificationsConfig(
              List.of(),
              List.of(),
              5,
              Duration.ofSeconds(5),
              Duration.ofMinutes(1),
              Duration.ofSeconds(1),
              10),
          Map.of(),
          null,
          () -> 0,
          "prod",
          "n1",
          InstantSource.system(),
          DeliveryObserver.NOOP);

  @Test
  void backsOffExponentiallyUpToTheMaximum() {
    assertThat(dispatcher.backoff(1, Optional.empty())).isEqualTo(Duration.ofSeconds(5));
    assertThat(dispatcher.backoff(2, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
    assertThat(dispatcher.backoff(4, Optional.empty())).isEqualTo(Duration.ofSeconds(40));
    assertThat(dispatcher.backoff(5, Optional.empty())).isEqualTo(Duration.ofMinutes(1));
    assertThat(dispatcher.backoff(60, Optional.empty())).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aLongerRetryAfterWinsAndAShorterOneDoesNot() {
    assertThat(dispatcher.backoff(1, Optional.of(Duration.ofMinutes(30))))
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(dispatcher.backoff(3, Optional.of(Duration.ofSeconds(1))))
        .isEqualTo(Duration.ofSeconds(20));
  }
}
