package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {

  @Test
  void carriesTheGitRevisionOfTheBuild() {
    assertThat(Version.revision()).matches("[0-9a-f]{12}");
  }

  @Test
  void saysUnknownForAValueTheBuildCouldNotFillIn() {
    assertThat(Version.known("${git.commit.id.abbrev}")).isEqualTo("unknown");
    assertThat(Version.known("")).isEqualTo("unknown");
    assertThat(Version.known(null)).isEqualTo("unknown");
    assertThat(Version.known("0123456789ab")).isEqualTo("0123456789ab");
  }
}
