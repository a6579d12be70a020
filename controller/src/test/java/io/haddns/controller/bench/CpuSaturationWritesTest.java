package io.haddns.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuSaturationWritesTest {
  private static String line(String source, String change) {
    return "06-Dec-2026 16:53:09.709 update: client @0x7f019fedb498 "
        + source
        + "#43769/key haddns: updating zone 'example.test/IN': "
        + change;
  }

  @Test
  void aChangeFromTheOldLeaderAfterTheNewTermsFenceIsStaleAndTheClaimItselfIsNot() {
    List<String> log =
        List.of(
            line("127.0.0.11", "adding an RR at '_haddns-fence.example.test' TXT \"epoch=1\""),
            line("127.0.0.11", "adding an RR at 'app.example.test' A 127.0.0.21"),
            line("127.0.0.12", "deleting an RR at '_haddns-fence.example.test' TXT \"epoch=1\""),
            line("127.0.0.12", "adding an RR at '_haddns-fence.example.test' TXT \"epoch=2\""),
            line("127.0.0.12", "deleting rrset at 'app.example.test' A"),
            line("127.0.0.11", "adding an RR at 'app.example.test' A 127.0.0.22"),
            "06-Dec-2026 16:53:10.000 update-security: client @0x1 127.0.0.11#1/key haddns:"
                + " update unsuccessful: example.test: prerequisite not satisfied (NXRRSET)");

    CpuSaturationBenchmark.Writes w = CpuSaturationBenchmark.Writes.of(log);

    assertThat(w.applied()).isEqualTo(6);
    assertThat(w.stale()).containsExactly(log.get(5));
  }

  @Test
  void changesOfTheCurrentWriterOnlyAreNotStale() {
    List<String> log =
        List.of(
            line("127.0.0.13", "adding an RR at '_haddns-fence.example.test' TXT \"epoch=4\""),
            line("127.0.0.13", "deleting rrset at 'app.example.test' A"),
            line("127.0.0.13", "adding an RR at 'app.example.test' A 127.0.0.22"));

    assertThat(CpuSaturationBenchmark.Writes.of(log).stale()).isEmpty();
  }
}
