package io.haddns.controller.cli;

import io.haddns.controller.config.ConfigException;
import io.haddns.controller.demo.DataDirectory;
import io.haddns.controller.demo.DemoLog;
import io.haddns.controller.demo.DemoScenario;
import io.haddns.controller.demo.DemoSettings;
import io.haddns.controller.runtime.StartupException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haddns demo}: the whole system on one machine, with a narrated failover. */
@Command(
    name = "demo",
    description =
        "Run an embedded ZooKeeper, three controller nodes, two simulated lines and the embedded"
            + " DNS server in this process, narrate a failover scenario with measured timings,"
            + " then keep serving until Ctrl-C.",
    mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      description =
          "Data directory, kept after the demo (default: a new temporary directory, removed on"
              + " exit).")
  Path data;

  @Option(
      names = "--http-port",
      defaultValue = "8053",
      description =
          "Admin port of node-1; node-2 and node-3 use the next two (default: ${DEFAULT-VALUE}; 0: any free).")
  int httpPort;

  @Option(
      names = "--dns-port",
      defaultValue = "15353",
      description =
          "DNS port of every node, on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (default: ${DEFAULT-VALUE}; 0: any free).")
  int dnsPort;

  @Option(names = "--exit", description = "Stop after the scenario instead of serving on.")
  boolean exitAfterScenario;

  @Option(
      names = "--verbose",
      description =
          "Print the nodes' logs here, between the narration's lines (default: into demo.log in"
              + " the data directory).")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean temporary = data == null;
    Path dir;
    try {
      dir = temporary ? Files.createTempDirectory("haddns-demo") : Files.createDirectories(data);
    } catch (IOException e) {
      err.println("haddns demo: cannot create the data directory: " + e);
      return 1;
    }
    Path logFile = dir.resolve("demo.log");
    Optional<DemoLog> log = verbose ? Optional.empty() : Optional.of(DemoLog.toFile(logFile));
    if (log.isPresent()) {
      out.println(
          "haddns demo: node logs go to "
              + logFile
              + (temporary ? " (removed on exit; --data DIR keeps them)" : "")
              + ", --verbose prints them here");
      out.flush();
    }
    DemoScenario demo =
        new DemoScenario(
            new DemoSettings(dir, httpPort, dnsPort, Duration.ofSeconds(4), !exitAfterScenario),
            out,
            InstantSource.system());
    AtomicBoolean keep = new AtomicBoolean(!temporary);
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          demo.close();
          log.ifPresent(DemoLog::close);
          if (!keep.get()) {
            DataDirectory.delete(dir);
          }
        };
    Thread hook =
        new Thread(
            () -> {
              stop.run();
              stopped.countDown();
            },
            "haddns-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      demo.run();
    } catch (StartupException | ConfigException | IOException | IllegalStateException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      err.println("haddns demo: " + e.getMessage());
      keep.set(true);
      stop.run();
      if (log.isPresent()) {
        err.println("haddns demo: the nodes' logs are kept in " + logFile);
      }
      return 1;
    }
    if (exitAfterScenario) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stop.run();
      out.println("demo finished");
      out.flush();
      return 0;
    }
    out.println("(Ctrl-C to stop)");
    out.flush();
    stopped.await();
    return 0;
  }
}
