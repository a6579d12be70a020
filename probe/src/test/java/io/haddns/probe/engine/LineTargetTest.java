package io.haddns.probe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineTargetTest {
  private static final List<ProbeSpec> TCP = List.of(new ProbeSpec.Tcp(443));

  private static LineTarget target(Duration interval, Duration fast, Duration timeout) {
    return new LineTarget(
        "telecom", List.of(InetAddress.getLoopbackAddress()), TCP, interval, fast, timeout, 3, 2);
  }

  @Test
  void withoutAFastIntervalItIsTheInterval() {
    LineTarget t =
        new LineTarget(
            "telecom",
            List.of(InetAddress.getLoopbackAddress()),
            TCP,
            Duration.ofSeconds(2),
            Duration.ofMillis(500),
            3,
            2);
    assertThat(t.fastInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void refusesAFastIntervalThatIsNotPositiveOrLongerThanTheInterval() {
    assertThatThrownBy(() -> target(Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fastInterval");
    assertThatThrownBy(
            () -> target(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fastInterval");
    assertThat(target(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofMillis(300)))
        .isNotNull();
  }
}
