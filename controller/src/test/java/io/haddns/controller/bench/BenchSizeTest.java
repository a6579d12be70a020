package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchSizeTest {
  @Test
  void smokeRunPicksTheSmallSizeAndAFullRunTheFullOne() {
    assertThat(new BenchSize(true).pick(10_000, 100)).isEqualTo(100);
    assertThat(new BenchSize(false).pick(10_000, 100)).isEqualTo(10_000);
    assertThat(new BenchSize(true).seconds("haddns.bench.test.unset", 30, 2))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void explicitOptionWinsOverTheSmokeSize() {
    System.setProperty("haddns.bench.test.runs", "3");
    try {
      assertThat(new BenchSize(true).option("haddns.bench.test.runs", 20, 1)).isEqualTo(3);
      assertThat(new BenchSize(false).option("haddns.bench.test.runs", 20, 1)).isEqualTo(3);
    } finally {
      System.clearProperty("haddns.bench.test.runs");
    }
  }

  @Test
  void benchmarkThatMeasuredNothingFails() {
    assertThatThrownBy(() -> BenchSize.measured("failover", new Samples()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("failover");
    Samples zero = new Samples();
    zero.addNanos(0);
    assertThatThrownBy(() -> BenchSize.measured("failover", zero))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> BenchSize.measured("QPS", 0.0)).isInstanceOf(AssertionError.class);
    Samples one = new Samples();
    one.addNanos(1);
    BenchSize.measured("failover", one);
    BenchSize.measured("QPS", 1.5);
  }
}
