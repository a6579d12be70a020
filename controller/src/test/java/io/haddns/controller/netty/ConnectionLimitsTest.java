package io.haddns.controller.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  private final List<String> audit = new ArrayList<>();
  private final ConnectionLimits limits =
      new ConnectionLimits(3, 2, (remote, reason) -> audit.add(reason));

  @Test
  void refusesASourcePastItsCapAndAdmitsItAgainOnceOneCloses() {
    assertThat(limits.admit("a")).isNull();
    assertThat(limits.admit("a")).isNull();

    assertThat(limits.admit("a")).isEqualTo("source has 2 connections open");
    limits.release("a");
    assertThat(limits.admit("a")).isNull();
    assertThat(limits.open()).isEqualTo(2);
  }

  @Test
  void refusesEveryonePastTheTotalCap() {
    limits.admit("a");
    limits.admit("b");
    limits.admit("c");

    assertThat(limits.admit("d")).isEqualTo("node has 3 connections open");
    assertThat(limits.open()).isEqualTo(3);
  }
}
