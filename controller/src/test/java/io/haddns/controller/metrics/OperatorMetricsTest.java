package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.Versioned;
import io.haddns.controller.store.ZonePause;
import io.haddns.controller.testing.InMemoryIntentStore;
import io.haddns.controller.testing.InMemoryStateStore;
import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.SettableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryIntentStore intents = new InMemoryIntentStore(new InMemoryStateStore());

  @Test
  void showsPausedZonesAndForcedLinesUntilTheOverrideExpires() throws Exception {
    new OperatorMetrics(
        registry, List.of("example.com", "example.net"), List.of("a", "b"), intents, clock);
    AuditEvent event = new AuditEvent(clock.instant(), "node-1", "test", "");
    intents.putPause(
        new ZonePause("example.com", "migration", "alice", clock.instant()),
        Versioned.ABSENT,
        event);
    intents.putOverride(
        new LineOverride(
            "a",
            LineOverride.Forced.DOWN,
            "work",
            "alice",
            clock.instant(),
            Optional.of(clock.instant().plusSeconds(60))),
        Versioned.ABSENT,
        event);

    MetricsScrape m = MetricsScrape.of(registry);
    assertThat(m.value("haddns_zone_paused", Map.of("zone", "example.com"))).hasValue(1.0);
    assertThat(m.value("haddns_zone_paused", Map.of("zone", "example.net"))).hasValue(0.0);
    assertThat(m.value("haddns_line_override", Map.of("line", "a", "state", "down"))).hasValue(1.0);
    assertThat(m.value("haddns_line_override", Map.of("line", "a", "state", "up"))).hasValue(0.0);
    assertThat(m.value("haddns_line_override", Map.of("line", "b", "state", "down"))).hasValue(0.0);

    clock.advance(Duration.ofSeconds(60));
    assertThat(
            MetricsScrape.of(registry)
                .value("haddns_line_override", Map.of("line", "a", "state", "down")))
        .hasValue(0.0);
  }
}
