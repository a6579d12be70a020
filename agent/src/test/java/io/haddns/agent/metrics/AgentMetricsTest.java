package io.haddns.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.Delivery;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
  private static final URI A = URI.create("https://a:8443/api/v1/report");
  private static final URI B = URI.create("https://b:8443/api/v1/report");

  private Instant now = Instant.ofEpochMilli(1_795_320_000_000L);
  private final InstantSource clock = () -> now;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AgentMetrics metrics = new AgentMetrics(registry, clock, Duration.ofMinutes(5));

  private String scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void countsDetectionsPerDetectorAndOutcome() throws Exception {
    metrics.detected("telecom", AddressFamily.IPV4, "stun", false);
    metrics.detected("telecom", AddressFamily.IPV4, "https-echo", true);
    metrics.detected("telecom", AddressFamily.IPV4, "https-echo", true);

    String text = scrape();

    assertThat(
            Scrape.value(
                text,
                "haddns_agent_detections_total",
                Map.of(
                    "line", "telecom", "family", "ipv4", "detector", "stun", "outcome", "failed")))
        .contains(1.0);
    assertThat(
            Scrape.value(
                text,
                "haddns_agent_detections_total",
                Map.of(
                    "line",
                    "telecom",
                    "family",
                    "ipv4",
                    "detector",
                    "https-echo",
                    "outcome",
                    "found")))
        .contains(2.0);
  }

  @Test
  void countsReportsByOutcomeAndAgesTheLastAcknowledgedOne() throws Exception {
    metrics.reported(
        "telecom",
        AddressFamily.IPV4,
        new Delivery.Acknowledged(A, "accepted"),
        now.toEpochMilli());
    now = now.plusSeconds(40);
    metrics.reported(
        "telecom", AddressFamily.IPV4, new Delivery.Undelivered(6, "down"), now.toEpochMilli());
    metrics.reported(
        "telecom",
        AddressFamily.IPV4,
        new Delivery.Rejected(A, 401, "bad-signature", ""),
        now.toEpochMilli());
    now = now.plusSeconds(5);

    String text = scrape();

    Map<String, String> line = Map.of("line", "telecom", "family", "ipv4");
    for (String outcome : new String[] {"acknowledged", "undelivered", "rejected"}) {
      assertThat(
              Scrape.value(
                  text,
                  "haddns_agent_reports_total",
                  Map.of("line", "telecom", "family", "ipv4", "outcome", outcome)))
          .as(outcome)
          .contains(1.0);
    }
    assertThat(Scrape.value(text, "haddns_agent_last_report_age_seconds", line)).contains(45.0);
  }

  @Test
  void aLineNeverAcknowledgedHasNoReportAgeButOneFromTheSavedStateHas() throws Exception {
    metrics.lastAcknowledged("unicom", AddressFamily.IPV6, now.minusSeconds(120).toEpochMilli());

    String text = scrape();

    assertThat(
            Scrape.value(
                text,
                "haddns_agent_last_report_age_seconds",
                Map.of("line", "telecom", "family", "ipv4")))
        .isEmpty();
    assertThat(
            Scrape.value(
                text,
                "haddns_agent_last_report_age_seconds",
                Map.of("line", "unicom", "family", "ipv6")))
        .contains(120.0);
  }

  @Test
  void countsControllerFailovers() throws Exception {
    metrics.failedOver(A, B);
    metrics.failedOver(B, A);

    assertThat(Scrape.value(scrape(), "haddns_agent_controller_failovers_total", Map.of()))
        .contains(2.0);
  }

  @Test
  void isHealthyWhileRoundsCompleteAndUnhealthyOnceTheyStop() {
    assertThat(metrics.health().healthy()).isTrue();
    assertThat(metrics.health().detail()).startsWith("no round yet");

    now = now.plusSeconds(30);
    metrics.roundCompleted(now.toEpochMilli());
    now = now.plus(Duration.ofMinutes(5));
    assertThat(metrics.health()).isEqualTo(new AgentMetrics.Health(true, "last round 300s ago"));

    now = now.plusSeconds(1);
    assertThat(metrics.health().healthy()).isFalse();
  }

  @Test
  void isUnhealthyWhenNoRoundEverCompletes() {
    now = now.plus(Duration.ofMinutes(5)).plusSeconds(1);

    assertThat(metrics.health().healthy()).isFalse();
    assertThat(metrics.health().detail()).isEqualTo("no round yet, started 301s ago");
  }
}
