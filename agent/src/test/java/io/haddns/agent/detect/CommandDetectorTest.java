package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.AddressFamily;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandDetectorTest {
  private final CommandDetector detector =
      new CommandDetector(List.of("wan-ip"), Duration.ofSeconds(1), new PublicAddressFilter(false));

  @ParameterizedTest
  @ValueSource(strings = {"8.8.4.4", "8.8.4.4\n", " 8.8.4.4 \r\n"})
  void takesOneAddress(String output) {
    assertThat(detector.fromOutput(output, AddressFamily.IPV4)).isInstanceOf(Detection.Found.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "8.8.4.4\n8.8.8.8\n", "error: no link", "10.0.0.1", "2a00:1450::1"})
  void refusesAnythingElse(String output) {
    assertThat(detector.fromOutput(output, AddressFamily.IPV4))
        .isInstanceOf(Detection.Failed.class);
  }
}
