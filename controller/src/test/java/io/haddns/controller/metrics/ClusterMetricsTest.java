package io.haddns.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.MetricsScrape;
import io.haddns.controller.testing.SettableClock;
import io.haddns.probe.Health;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterMetricsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SettableClock clock = new SettableClock(NOW);
  private final FakeView view = new FakeView();

  @Test
  void readsEachViewOnceAScrapeInsteadOfAssemblingTheStatusPerGauge() {
    new ClusterMetrics(registry, view, clock);

    MetricsScrape m = MetricsScrape.of(registry);

    assertThat(m.value("haddns_leader").orElseThrow()).isEqualTo(1);
    assertThat(m.value("haddns_epoch").orElseThrow()).isEqualTo(7);
    assertThat(m.value("haddns_members").orElseThrow()).isEqualTo(3);
    assertThat(m.value("haddns_zookeeper_connected").orElseThrow()).isEqualTo(1);
    assertThat(m.value("haddns_ready").orElseThrow()).isZero();
    assertThat(view.lineReads.get()).isOne();
    assertThat(view.appliedReads.get()).isEqualTo(2);
  }

  @Test
  void setsExactlyTheCurrentHealthStateOfEveryLine() {
    new ClusterMetrics(registry, view, clock);

    MetricsScrape m = MetricsScrape.of(registry);

    assertThat(m.samples().stream().filter(s -> s.name().equals("haddns_line_health")))
        .hasSize(2 * Health.values().length);
    assertThat(health(m, "telecom", "up")).isEqualTo(1);
    assertThat(health(m, "telecom", "down")).isZero();
    assertThat(health(m, "unicom", "down")).isEqualTo(1);
    assertThat(health(m, "unicom", "up")).isZero();
  }

  @Test
  void countsAppliedRecordSetsPerZoneAndAgesTheOldestByTheClock() {
    new ClusterMetrics(registry, view, clock);
    clock.advance(Duration.ofSeconds(30));

    MetricsScrape m = MetricsScrape.of(registry);

    assertThat(m.value("haddns_records_applied", Map.of("zone", "example.com")).orElseThrow())
        .isEqualTo(2);
    assertThat(
            m.value("haddns_applied_record_age_max_seconds", Map.of("zone", "example.com"))
                .orElseThrow())
        .isEqualTo(30 + 600);
  }

  @Test
  void summarisesAZoneByItsLeastRecentlyWrittenRecordSet() {
    ClusterView.ZoneApplied one = new ClusterView.ZoneApplied(1, NOW);

    assertThat(one.plus(NOW.minusSeconds(5)).plus(NOW.plusSeconds(5)))
        .isEqualTo(new ClusterView.ZoneApplied(3, NOW.minusSeconds(5)));
  }

  private static double health(MetricsScrape m, String line, String state) {
    return m.value("haddns_line_health", Map.of("line", line, "state", state)).orElseThrow();
  }

  /** A view that counts how often the costlier views are read. */
  private static final class FakeView implements ClusterView {
    final AtomicInteger lineReads = new AtomicInteger();
    final AtomicInteger appliedReads = new AtomicInteger();

    @Override
    public boolean leading() {
      return true;
    }

    @Override
    public long epoch() {
      return 7;
    }

    @Override
    public int members() {
      return 3;
    }

    @Override
    public boolean zookeeperConnected() {
      return true;
    }

    @Override
    public boolean ready() {
      return false;
    }

    @Override
    public Map<String, Health> lineHealth() {
      lineReads.incrementAndGet();
      Map<String, Health> out = new LinkedHashMap<>();
      out.put("telecom", Health.UP);
      out.put("unicom", Health.DOWN);
      return out;
    }

    @Override
    public Map<String, ZoneApplied> appliedByZone() {
      appliedReads.incrementAndGet();
      return Map.of("example.com", new ZoneApplied(2, NOW.minusSeconds(600)));
    }
  }
}
