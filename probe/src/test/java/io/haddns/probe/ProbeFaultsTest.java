package io.haddns.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.probe.ProbeResult.FaultKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeFaultsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Too many open files | descriptors",
        "Too many open files in system | descriptors",
        "No buffer space available (maximum connections reached?) | buffers",
        "Cannot allocate memory | memory",
        "Operation not permitted | permission",
        "Permission denied | permission",
        "Cannot assign requested address | socket",
        "Connection refused | ",
        "Connection timed out | ",
        "No route to host | ",
        "Network is unreachable | ",
      })
  void tellsLocalErrorsFromTheTargetsAnswers(String message, String kind) {
    IOException e =
        message.contains("refused")
            ? new ConnectException(message)
            : message.contains("route")
                ? new NoRouteToHostException(message)
                : new SocketException(message);

    Optional<FaultKind> found = ProbeFaults.of(e).map(ProbeResult.Fault::kind);

    if (kind == null) {
      assertThat(found).isEmpty();
    } else {
      assertThat(found).map(FaultKind::label).contains(kind);
    }
  }

  @ParameterizedTest(name = "errno {0} -> {1}")
  @CsvSource({
    "24, descriptors",
    "23, descriptors",
    "105, buffers",
    "12, memory",
    "1, permission",
    "13, permission",
    "99, socket",
    "101, ",
    "113, ",
    "22, "
  })
  void tellsLocalErrnosFromUnreachableTargets(int errno, String kind) {
    Optional<FaultKind> found = ProbeFaults.kindOfErrno(errno);

    if (kind == null) {
      assertThat(found).isEmpty();
    } else {
      assertThat(found).map(FaultKind::label).contains(kind);
    }
  }

  @Test
  void aProbeSentLaterThanHalfItsTimeoutIsAStarvedFault() {
    assertThat(ProbeFaults.sentTooLate(250_000_000L, 500_000_000L, "SYN")).isEmpty();
    assertThat(ProbeFaults.sentTooLate(250_000_001L, 500_000_000L, "SYN"))
        .hasValueSatisfying(
            f -> {
              assertThat(f.kind()).isEqualTo(FaultKind.STARVED);
              assertThat(f.detail()).startsWith("SYN not sent within half its timeout (250 ms)");
            });
  }
}
