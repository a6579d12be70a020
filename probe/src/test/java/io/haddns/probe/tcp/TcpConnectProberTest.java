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
}
