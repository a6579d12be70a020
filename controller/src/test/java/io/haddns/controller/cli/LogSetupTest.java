package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

class LogSetupTest {

  @Test
  void readsTheFormatAndLevelInAnyCase() {
    assertThat(LogSetup.Format.of("JSON", "--log-format")).isEqualTo(LogSetup.Format.JSON);
    assertThat(LogSetup.Format.of(" text ", "--log-format")).isEqualTo(LogSetup.Format.TEXT);
    assertThat(LogSetup.level("Debug", "--log-level")).isEqualTo(Level.DEBUG);
    assertThat(LogSetup.level("off", "--log-level")).isEqualTo(Level.OFF);
  }

  @Test
  void refusesAnUnknownFormatOrLevelNamingWhereItCameFromAndWhatIsAllowed() {
    assertThatThrownBy(() -> LogSetup.Format.of("logfmt", "HADDNS_LOG_FORMAT"))
        .hasMessage("HADDNS_LOG_FORMAT must be text or json, not 'logfmt'");
    assertThatThrownBy(() -> LogSetup.level("verbose", "--log-level"))
        .hasMessage(
            "--log-level must be one of trace, debug, info, warn, error, off, not 'verbose'");
    assertThatThrownBy(() -> LogSetup.level("all", "--log-level"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
