package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsDurationsAsTheConfigurationWritesThem() {
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert(" 6s ")).isEqualTo(Duration.ofSeconds(6));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void refusesAZeroDurationAsTheConfigurationDoes() {
    assertThatThrownBy(() -> converter.convert("0s"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'0s' is not a duration: must be positive");
  }

  @Test
  void namesTheMissingUnit() {
    assertThatThrownBy(() -> converter.convert("20"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'20' is not a duration: needs a unit: write e.g. 20s or 20ms");
  }
}
