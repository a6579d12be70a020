package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionTest {
  private static final List<String> LINE_KEYS =
      List.of("name", "address", "probes", "interval", "timeout", "fall", "rise");

  @Test
  void suggestsTheKeyOneOrTwoEditsAway() {
    assertThat(KeySuggestion.closest("intervall", LINE_KEYS)).contains("interval");
    assertThat(KeySuggestion.closest("Interval", LINE_KEYS)).contains("interval");
    assertThat(KeySuggestion.closest("timout", LINE_KEYS)).contains("timeout");
    assertThat(KeySuggestion.closest("adress", LINE_KEYS)).contains("address");
    assertThat(KeySuggestion.closest("prot", List.of("port"))).contains("port");
  }

  @Test
  void suggestsNothingForUnrelatedOrTinyKeys() {
    assertThat(KeySuggestion.closest("colour", LINE_KEYS)).isEmpty();
    assertThat(KeySuggestion.closest("c", List.of("a", "b"))).isEmpty();
    assertThat(KeySuggestion.closest("anything", List.of())).isEmpty();
  }
}
