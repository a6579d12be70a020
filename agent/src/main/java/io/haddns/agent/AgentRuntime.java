package io.haddns.agent;

import io.haddns.agent.config.AgentSettings;
import io.haddns.agent.config.DetectorFactory;
import io.haddns.agent.metrics.AgentMetrics;
import io.haddns.agent.metrics.MetricsServer;
import io.haddns.agent.report.CaTrust;
import io.haddns.agent.report.ControllerClient;
import io.haddns.agent.report.Ed25519Keys;
import io.haddns.agent.report.FailoverListener;
import io.haddns.agent.report.HttpReportTransport;
import io.haddns.agent.report.ReportJson;
import io.haddns.agent.report.ReportSigner;
import io.haddns.agent.report.RetryPolicy;
import io.haddns.agent.report.Sleeper;
import io.haddns.agent.state.FileStateStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one running agent from its settings: report transport and client, detectors, signer, state
 * file, the round scheduler and, when configured, the local metrics server. Closing stops the
 * rounds, then the servers and connections.
 */
final class AgentRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);

  private final HttpReportTransport transport;
  private final MetricsServer metricsServer;
  private final ScheduledExecutorService scheduler;

  private AgentRuntime(
      HttpReportTransport transport,
      MetricsServer metricsServer,
      ScheduledExecutorService scheduler) {
    this.transport = transport;
    this.metricsServer = metricsServer;
    this.scheduler = scheduler;
  }

  /** Starts the agent: its first round runs at once, then one every {@code interval}. */
  static AgentRuntime start(AgentSettings settings, InstantSource clock) throws IOException {
    settings.controllers().stream()
        .filter(u -> "http".equals(u.getScheme()))
        .forEach(u -> log.warn("controller={} insecureHttp: reports to it are not encrypted", u));
    PrometheusRegistry registry = new PrometheusRegistry();
    SSLContext tls = CaTrust.sslContext(settings.caFile());
    SecureRandom random = new SecureRandom();
    Optional<AgentMetrics> metrics =
        settings
            .metrics()
            .map(m -> new AgentMetrics(registry, clock, staleAfter(settings.interval())));
    HttpReportTransport transport = new HttpReportTransport(tls, settings.timeout());
    MetricsServer server = null;
    try {
      server = metricsServer(settings, registry, metrics);
      ControllerClient client =
          new ControllerClient(
              settings.controllers(),
              transport,
              new ReportJson(),
              RetryPolicy.defaults(),
              Sleeper.SYSTEM,
              random,
              metrics.<FailoverListener>map(m -> m).orElse(FailoverListener.NONE));
      AgentLoop loop =
          new AgentLoop(
              settings.id(),
              lines(settings, new DetectorFactory(CaTrust.sslContext(Optional.empty()), random)),
              new ReportSigner(Ed25519Keys.readPrivateKey(settings.privateKeyFile())),
              client,
              new FileStateStore(settings.stateFile()),
              clock,
              settings.heartbeat(),
              metrics.<AgentObserver>map(m -> m).orElse(AgentObserver.NONE));
      loop.start();
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "agent-loop"));
      scheduler.scheduleWithFixedDelay(
          () -> {
            try {
              loop.runOnce();
            } catch (RuntimeException e) {
              log.error("agent round failed", e);
            }
          },
          0,
          settings.interval().toMillis(),
          TimeUnit.MILLISECONDS);
      return new AgentRuntime(transport, server, scheduler);
    } catch (IOException | RuntimeException e) {
      closeQuietly(server);
      transport.close();
      throw e;
    }
  }

  /** A round can take a few report retries per line: 3 intervals plus 2 minutes, see docs. */
  static Duration staleAfter(Duration interval) {
    return interval.multipliedBy(3).plus(Duration.ofMinutes(2));
  }

  /** Each configured line with the detectors its settings name. */
  static List<LineDetectors> lines(AgentSettings settings, DetectorFactory factory) {
    List<LineDetectors> out = new ArrayList<>();
    for (AgentSettings.LineSettings line : settings.lines()) {
      out.add(new LineDetectors(line.name(), line.families(), factory.create(line)));
    }
    return out;
  }

  /**
   * Waits for the round in progress (at most 10 s), then closes the servers and connections. An
   * interrupt ends the wait, not the closing: the servers are closed all the same and the thread's
   * interrupt status is set again.
   */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(metricsServer);
    transport.close();
  }

  /** The local /metrics and /healthz server, or null when not wanted. */
  private static MetricsServer metricsServer(
      AgentSettings settings, PrometheusRegistry registry, Optional<AgentMetrics> metrics)
      throws IOException {
    if (metrics.isEmpty()) {
      return null;
    }
    AgentSettings.MetricsSettings m = settings.metrics().get();
    return MetricsServer.start(m.host(), m.port(), registry, metrics.get()::health);
  }

  private static void closeQuietly(MetricsServer server) {
    if (server != null) {
      server.close();
    }
  }
}
