package io.haddns.controller.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LeaseRecordTest {

  @Test
  void roundTripsEpochNodeAndLatchPath() {
    LeaseRecord r = new LeaseRecord(42, "node-a", "/haddns/c/leader/_c_1-latch-0000000007");

    assertThat(LeaseRecord.decode(r.encode())).contains(r);
  }

  @Test
  void emptyOrForeignDataIsNoLease() {
    assertThat(LeaseRecord.decode(new byte[0])).isEmpty();
    assertThat(LeaseRecord.decode(null)).isEmpty();
    assertThat(LeaseRecord.decode("{\"epoch\":1}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(LeaseRecord.decode("epoch=x\nnode=a\nlatch=/l\n".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }
}
