package io.haddns.controller.cli;

import io.haddns.controller.config.ConfigException;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code haddns check-config FILE}: validates a configuration file and lists every problem. */
@Command(
    name = "check-config",
    description = "Validate a configuration file; exit 0 when valid, 2 with every problem listed.",
    mixinStandardHelpOptions = true)
final class CheckConfigCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The YAML configuration file.")
  Path file;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      HaddnsConfig config = new ConfigLoader(System.getenv()).load(file);
      spec.commandLine()
          .getOut()
          .printf(
              "%s: valid (cluster %s, %d lines, %d zones, %d records)%n",
              file,
              config.cluster().name(),
              config.lines().size(),
              config.zones().size(),
              config.records().size());
      return 0;
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 2;
    }
  }
}
