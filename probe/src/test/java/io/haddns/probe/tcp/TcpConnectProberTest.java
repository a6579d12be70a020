package io.haddns.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.ProbeResult.FaultKind;
import org.junit.jupiter.api.Test;

class TcpConnectProberTest {
  @Test
  void aProbeThatWaitedOutItsTurnAtTheSocketLimitIsADescriptorsFault() {
    assertThat(TcpConnectProber.waitedTooLong(3_750, 3_750, 251).kind())
        .isEqualTo(FaultKind.DESCRIPTORS);
  }

  @Test
  void aProbeThatWaitedOutItsTurnWithSocketsFreeIsAStarvedFaultNotADescriptorsOne() {
    var fault = TcpConnectProber.waitedTooLong(540, 3_750, 251);

    assertThat(fault.kind()).isEqualTo(FaultKind.STARVED);
    assertThat(fault.detail()).contains("251 ms");
  }

  @Test
  void waitsWholeMillisecondsRoundedUpSoADeadlineUnderAMillisecondAwayIsNotPolledFor() {
    assertThat(TcpConnectProber.millisUntil(-5)).isZero();
    assertThat(TcpConnectProber.millisUntil(0)).isZero();
    assertThat(TcpConnectProber.millisUntil(1)).isEqualTo(1);
    assertThat(TcpConnectProber.millisUntil(999_999)).isEqualTo(1);
    assertThat(TcpConnectProber.millisUntil(1_000_000)).isEqualTo(1);
    assertThat(TcpConnectProber.millisUntil(1_000_001)).isEqualTo(2);
  }
}
