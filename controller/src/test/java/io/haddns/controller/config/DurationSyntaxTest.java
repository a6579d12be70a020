package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationSyntaxTest {

  @ParameterizedTest
  @CsvSource({"500ms, 500", "6s, 6000", "1m, 60000", "1h, 3600000", "1500ms, 1500"})
  void parsesAWholeNumberWithAUnit(String written, long millis) {
    assertThat(DurationSyntax.parse(written)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"6", "6 s", "1.5s", "6S", "-1s", "1d", "", "1m30s", "9999999999s"})
  void rejectsEverythingElse(String written) {
    assertThatIllegalArgumentException().isThrownBy(() -> DurationSyntax.parse(written));
  }

  @ParameterizedTest
  @CsvSource({"500, 500ms", "6000, 6s", "60000, 1m", "3600000, 1h", "1500, 1500ms"})
  void formatsInTheShortestExactUnit(long millis, String expected) {
    assertThat(DurationSyntax.format(Duration.ofMillis(millis))).isEqualTo(expected);
  }
}
