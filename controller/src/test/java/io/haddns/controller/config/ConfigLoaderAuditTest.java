package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.BASE;
import static io.haddns.controller.config.ConfigTesting.at;
import static io.haddns.controller.config.ConfigTesting.loader;
import static io.haddns.controller.config.ConfigTesting.parse;
import static io.haddns.controller.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderAuditTest {

  @Test
  void readsAuditRetentionAndDefaultsItWhenLeftOut() throws Exception {
    assertThat(parse(loader(), BASE).audit()).isEqualTo(AuditConfig.defaults());

    HaddnsConfig config =
        parse(loader(), BASE + "audit:\n  maxEvents: 500\n  maxAge: 7d\n".replace("7d", "168h"));

    assertThat(config.audit()).isEqualTo(new AuditConfig(500, Duration.ofHours(168)));
  }

  @Test
  void refusesOutOfRangeRetentionNamingTheKey() {
    var problems = problems(BASE + "audit:\n  maxEvents: 0\n  maxAge: 10s\n  keep: 1\n");

    assertThat(at(problems, "audit.maxEvents")).isPresent();
    assertThat(at(problems, "audit.maxAge")).isPresent();
    assertThat(at(problems, "audit.keep")).isPresent();
  }
}
