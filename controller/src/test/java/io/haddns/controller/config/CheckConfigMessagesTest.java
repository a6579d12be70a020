package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.edit;
import static io.haddns.controller.config.ConfigTesting.loader;
import static io.haddns.controller.config.ConfigTesting.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code haddns check-config} tells a person who made a typical first-hour mistake. */
class CheckConfigMessagesTest {

  @Test
  void unquotedWordWhereANumberBelongsIsNotToldToRemoveQuotes() {
    ConfigException e = rejection(loader(), edit("fall: 3", "fall: three"));

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("lines[0].fall");
              assertThat(p.reason())
                  .contains("must be an integer, not a string")
                  .contains("write it in digits")
                  .doesNotContain("quotes")
                  .doesNotContain("three");
            });
  }

  @Test
  void quotedNumberWhereANumberBelongsIsToldToRemoveTheQuotes() {
    ConfigException e = rejection(loader(), edit("fall: 3", "fall: '3'"));

    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).contains("(remove the quotes)"));
  }

  @Test
  void quotedTextWhereAMappingBelongsIsNotToldToRemoveQuotes() {
    ConfigException e = rejection(loader(), edit("{ icmp: {} }, ", "'icmp', "));

    assertThat(e.problems())
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo("lines[0].probes[0]");
              assertThat(p.reason()).contains("not a string").doesNotContain("quotes");
            });
  }

  @Test
  void tabIndentationIsReportedWhereTheTabIs() {
    String yaml = edit("records:\n  - { name: app", "records:\n\t- { name: app");
    int tabLine = (int) yaml.substring(0, yaml.indexOf('\t')).lines().count() + 1;

    ConfigException e = rejection(loader(), yaml);

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.reason())
                    .startsWith("is not valid YAML")
                    .contains("TAB")
                    .endsWith("at line " + tabLine + ", column 1"));
  }
}
