package io.haddns.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.testing.InMemoryDnsProvider;
import io.haddns.controller.testing.InMemoryStateStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZoneReconcilerSettingsTest {

  private ZoneReconcilerSettings.Builder complete() {
    return ZoneReconcilerSettings.builder("example.com", List.of())
        .provider(new InMemoryDnsProvider("example.com"))
        .store(new InMemoryStateStore())
        .lines(Map::of)
        .term(new LeaderTerm())
        .nodeId("node-1")
        .clock(InstantSource.system());
  }

  @Test
  void writesUnguardedUnverifiedAndUnpausedUnlessTold() {
    ZoneReconcilerSettings s = complete().build();

    assertThat(s.dryRun()).isFalse();
    assertThat(s.unfencedGuard()).isEqualTo(Duration.ZERO);
    assertThat(s.verification()).isSameAs(ApplyVerification.NONE);
    assertThat(s.paused().getAsBoolean()).isFalse();
  }

  @Test
  void refusesAMissingProviderNamingIt() {
    assertThatThrownBy(() -> complete().provider(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("provider");
  }
}
