package io.haddns.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code haddns} executable: the one composition root of the controller. */
@Command(
    name = "haddns",
    description = "High-availability clustered dynamic-DNS controller.",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    subcommands = {
      DemoCommand.class,
      ControllerCommand.class,
      CtlCommand.class,
      CheckConfigCommand.class,
      ZooKeeperCommand.class
    })
public final class ControllerMain {

  public static void main(String[] args) {
    System.exit(new CommandLine(new ControllerMain()).execute(args));
  }
}
