package io.haddns.agent.metrics;

import io.haddns.agent.AgentObserver;
import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.Delivery;
import io.haddns.agent.report.FailoverListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's metrics (docs/agent.md "Metrics and health"). Label values come from the agent's own
 * configuration (line names, families, detector types), so their number is bounded by it.
 *
 * <p>Written by the agent loop's thread and the report client, read by scrapes: thread-safe.
 */
public final class AgentMetrics implements AgentObserver, FailoverListener {
  private final InstantSource clock;
  private final Duration staleAfter;
  private final long startedAtMillis;
  private final Counter detections;
  private final Counter reports;
  private final Counter failovers;
  private final Map<LineFamily, Long> lastAcknowledged = new ConcurrentHashMap<>();
  private final AtomicLong lastRound = new AtomicLong(-1);

  private record LineFamily(String line, String family) {}

  /**
   * @param staleAfter how long without a completed round before {@link #health} says unhealthy
   */
  public AgentMetrics(PrometheusRegistry registry, InstantSource clock, Duration staleAfter) {
    this.clock = clock;
    this.staleAfter = staleAfter;
    this.startedAtMillis = clock.millis();
    detections =
        Counter.builder()
            .name("haddns_agent_detections_total")
            .help("Detector runs per line, family, detector and outcome (found or failed)")
            .labelNames("line", "family", "detector", "outcome")
            .register(registry);
    reports =
        Counter.builder()
            .name("haddns_agent_reports_total")
            .help("Reports sent per line, family and outcome (acknowledged, rejected, undelivered)")
            .labelNames("line", "family", "outcome")
            .register(registry);
    failovers =
        Counter.builder()
            .name("haddns_agent_controller_failovers_total")
            .help("Reports acknowledged by another controller endpoint than the one tried first")
            .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_agent_last_report_age_seconds")
        .help("Seconds since the line's family last had a report acknowledged")
        .labelNames("line", "family")
        .callback(
            cb -> {
              long now = clock.millis();
              lastAcknowledged.forEach(
                  (k, at) -> cb.call(Math.max(0, now - at) / 1000.0, k.line(), k.family()));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_agent_last_round_age_seconds")
        .help("Seconds since the agent last completed a detection round")
        .callback(
            cb -> {
              long at = lastRound.get();
              if (at >= 0) {
                cb.call(Math.max(0, clock.millis() - at) / 1000.0);
              }
            })
        .register(registry);
  }

  @Override
  public void detected(String line, AddressFamily family, String detector, boolean found) {
    detections.labelValues(line, family.wireName(), detector, found ? "found" : "failed").inc();
  }

  @Override
  public void reported(String line, AddressFamily family, Delivery delivery, long atMillis) {
    String outcome =
        switch (delivery) {
          case Delivery.Acknowledged a -> "acknowledged";
          case Delivery.Rejected r -> "rejected";
          case Delivery.Undelivered u -> "undelivered";
        };
    reports.labelValues(line, family.wireName(), outcome).inc();
    if (delivery instanceof Delivery.Acknowledged) {
      lastAcknowledged.put(new LineFamily(line, family.wireName()), atMillis);
    }
  }

  @Override
  public void lastAcknowledged(String line, AddressFamily family, long atMillis) {
    lastAcknowledged.merge(new LineFamily(line, family.wireName()), atMillis, Math::max);
  }

  @Override
  public void roundCompleted(long atMillis) {
    lastRound.set(atMillis);
  }

  @Override
  public void failedOver(URI from, URI to) {
    failovers.inc();
  }

  /** What {@code /healthz} answers. */
  public record Health(boolean healthy, String detail) {}

  /**
   * Healthy while the last completed round (or, before the first, the start) is at most {@code
   * staleAfter} old: a loop stuck or dead makes the agent unhealthy.
   */
  public Health health() {
    long round = lastRound.get();
    long since = round >= 0 ? round : startedAtMillis;
    long ageSeconds = Math.max(0, clock.millis() - since) / 1000;
    boolean healthy = clock.millis() - since <= staleAfter.toMillis();
    String what =
        round >= 0
            ? "last round " + ageSeconds + "s ago"
            : "no round yet, started " + ageSeconds + "s ago";
    return new Health(healthy, what);
  }
}
