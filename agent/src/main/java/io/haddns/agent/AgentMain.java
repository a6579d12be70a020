package io.haddns.agent;

import io.haddns.agent.config.AgentConfigLoader;
import io.haddns.agent.config.AgentSettings;
import io.haddns.agent.config.ConfigException;
import io.haddns.agent.config.DetectorFactory;
import io.haddns.agent.detect.Detection;
import io.haddns.agent.detect.IpDetector;
import io.haddns.agent.metrics.AgentMetrics;
import io.haddns.agent.metrics.MetricsServer;
import io.haddns.agent.report.AddressFamily;
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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code haddns-agent}: the composition root. */
@Command(
    name = "haddns-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentVersion.class,
    description = "Detects each line's public address and reports it, signed, to haddns.",
    subcommands = {AgentMain.Detect.class, AgentMain.Keygen.class})
public final class AgentMain implements Callable<Integer> {
  @Option(names = "--config", description = "the agent's YAML file (runs the agent)")
  Path config;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrometheusRegistry registry = new PrometheusRegistry();

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (config == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--config FILE is required");
    }
    AgentSettings settings = load(config);
    if (settings == null) {
      return 2;
    }
    settings.controllers().stream()
        .filter(u -> "http".equals(u.getScheme()))
        .forEach(
            u ->
                org.slf4j.LoggerFactory.getLogger(AgentMain.class)
                    .warn("controller={} insecureHttp: reports to it are not encrypted", u));
    SSLContext tls = CaTrust.sslContext(settings.caFile());
    SecureRandom random = new SecureRandom();
    Optional<AgentMetrics> metrics =
        settings
            .metrics()
            .map(
                m ->
                    new AgentMetrics(
                        registry, InstantSource.system(), staleAfter(settings.interval())));
    try (HttpReportTransport transport = new HttpReportTransport(tls, settings.timeout());
        MetricsServer server = metricsServer(settings, metrics)) {
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
              lines(
                  settings,
                  new DetectorFactory(CaTrust.sslContext(java.util.Optional.empty()), random)),
              new ReportSigner(Ed25519Keys.readPrivateKey(settings.privateKeyFile())),
              client,
              new FileStateStore(settings.stateFile()),
              InstantSource.system(),
              settings.heartbeat(),
              metrics.<AgentObserver>map(m -> m).orElse(AgentObserver.NONE));
      loop.start();
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "agent-loop"));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    scheduler.shutdownNow();
                    stopped.countDown();
                  }));
      scheduler.scheduleWithFixedDelay(
          () -> {
            try {
              loop.runOnce();
            } catch (RuntimeException e) {
              org.slf4j.LoggerFactory.getLogger(AgentMain.class).error("agent round failed", e);
            }
          },
          0,
          settings.interval().toMillis(),
          TimeUnit.MILLISECONDS);
      stopped.await();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
    return 0;
  }

  /** A round can take a few report retries per line: 3 intervals plus 2 minutes, see docs. */
  static Duration staleAfter(Duration interval) {
    return interval.multipliedBy(3).plus(Duration.ofMinutes(2));
  }

  /** The local /metrics and /healthz server, or null (closing null is a no-op) when not wanted. */
  private MetricsServer metricsServer(AgentSettings settings, Optional<AgentMetrics> metrics)
      throws IOException {
    if (metrics.isEmpty()) {
      return null;
    }
    AgentSettings.MetricsSettings m = settings.metrics().get();
    return MetricsServer.start(m.host(), m.port(), registry, metrics.get()::health);
  }

  static AgentSettings load(Path file) throws IOException {
    try {
      return new AgentConfigLoader().load(file);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return null;
    }
  }

  static List<LineDetectors> lines(AgentSettings settings, DetectorFactory factory) {
    List<LineDetectors> out = new ArrayList<>();
    for (AgentSettings.LineSettings line : settings.lines()) {
      out.add(new LineDetectors(line.name(), line.families(), factory.create(line)));
    }
    return out;
  }

  /** {@code haddns-agent detect --config FILE}: what every detector sees, nothing reported. */
  @Command(name = "detect", description = "Print what each detector sees per line; report nothing.")
  static final class Detect implements Callable<Integer> {
    @Option(names = "--config", required = true)
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      AgentSettings settings = load(config);
      if (settings == null) {
        return 2;
      }
      PrintWriter out = spec.commandLine().getOut();
      DetectorFactory factory =
          new DetectorFactory(CaTrust.sslContext(java.util.Optional.empty()), new SecureRandom());
      for (LineDetectors line : lines(settings, factory)) {
        for (AddressFamily family : line.families()) {
          for (IpDetector detector : line.detectors()) {
            Detection d = detector.detect(family);
            String seen =
                switch (d) {
                  case Detection.Found f -> "found " + f.addresses() + " (" + f.source() + ")";
                  case Detection.Failed f -> "failed: " + f.reason();
                };
            out.printf("%s %s %s: %s%n", line.line(), family.wireName(), detector.name(), seen);
          }
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code haddns-agent keygen --out DIR}: writes agent.key (0600) and agent.pub. */
  @Command(
      name = "keygen",
      description = "Write a new Ed25519 key pair: DIR/agent.key and DIR/agent.pub.")
  static final class Keygen implements Callable<Integer> {
    @Option(names = "--out", required = true)
    Path dir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Path key = dir.resolve("agent.key");
      Path pub = dir.resolve("agent.pub");
      if (Files.exists(key)) {
        spec.commandLine().getErr().println(key + " exists; not overwriting an agent's identity");
        return 1;
      }
      Files.createDirectories(dir);
      KeyPair pair = Ed25519Keys.generate();
      Files.createFile(key);
      if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(key, Ed25519Keys.toPem(pair.getPrivate()));
      Files.writeString(pub, Ed25519Keys.toPem(pair.getPublic()));
      spec.commandLine()
          .getOut()
          .println("wrote " + key + " and " + pub + " (give the .pub to the controller)");
      return 0;
    }
  }
}
