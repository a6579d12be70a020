package io.haddns.controller.cli;

import io.haddns.controller.config.ConfigException;
import io.haddns.controller.demo.DemoScenario;
import io.haddns.controller.demo.DemoSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

  @Option(names = "--data", description = "Data directory (default: a new temporary directory).")
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

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = data != null ? data : Files.createTempDirectory("haddns-demo");
    DemoScenario demo =
        new DemoScenario(
            new DemoSettings(dir, httpPort, dnsPort, Duration.ofSeconds(4), !exitAfterScenario),
            out,
            InstantSource.system());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              demo.close();
              stopped.countDown();
            },
            "haddns-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      demo.run();
    } catch (StartupException | ConfigException | IOException | IllegalStateException e) {
      err.println("haddns demo: " + e.getMessage());
      return 1;
    }
    if (exitAfterScenario) {
      Runtime.getRuntime().removeShutdownHook(hook);
      demo.close();
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
