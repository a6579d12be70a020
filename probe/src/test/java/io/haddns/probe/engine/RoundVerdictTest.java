package io.haddns.probe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.ProbeResult.FaultKind;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoundVerdictTest {
  private static final InetAddress A = InetAddress.getLoopbackAddress();

  private static ProbeOutcome outcome(String code) {
    ProbeResult r =
        switch (code) {
          case "ok" -> new ProbeResult.Success(Duration.ofMillis(1));
          case "timeout" -> new ProbeResult.Failure(FailureReason.TIMEOUT, "");
          case "refused" -> new ProbeResult.Failure(FailureReason.REFUSED, "");
          case "emfile" -> new ProbeResult.Fault(FaultKind.DESCRIPTORS, "Too many open files");
          case "enobufs" -> new ProbeResult.Fault(FaultKind.BUFFERS, "No buffer space available");
          default -> throw new IllegalArgumentException(code);
        };
    return new ProbeOutcome("line", new ProbeSpec.Tcp(80), A, r, Duration.ZERO);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "ok ok, passed",
    "ok timeout, failed",
    "emfile refused, failed",
    "timeout emfile, failed",
    "ok emfile, inconclusive descriptors",
    "enobufs emfile, inconclusive buffers",
    "emfile, inconclusive descriptors",
  })
  void judgesARoundFromItsOutcomes(String outcomes, String expected) {
    List<ProbeOutcome> list =
        java.util.Arrays.stream(outcomes.split(" ")).map(RoundVerdictTest::outcome).toList();

    String verdict =
        switch (RoundVerdict.of(list)) {
          case RoundVerdict.Passed p -> "passed";
          case RoundVerdict.Failed f -> "failed";
          case RoundVerdict.Inconclusive i -> "inconclusive " + i.kind().label();
        };

    assertThat(verdict).isEqualTo(expected);
  }
}
