package io.haddns.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildVersionTest {

  @Test
  void carriesTheGitRevisionOfTheBuild() {
    assertThat(BuildVersion.revision()).matches("[0-9a-f]{12}");
  }

  @Test
  void saysUnknownForAValueTheBuildCouldNotFillIn() {
    assertThat(BuildVersion.known("${git.commit.id.abbrev}")).isEqualTo("unknown");
    assertThat(BuildVersion.known("")).isEqualTo("unknown");
    assertThat(BuildVersion.known(null)).isEqualTo("unknown");
    assertThat(BuildVersion.known("0123456789ab")).isEqualTo("0123456789ab");
  }
}
