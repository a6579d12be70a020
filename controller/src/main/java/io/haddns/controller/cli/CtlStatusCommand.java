package io.haddns.controller.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.admin.ClusterStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haddns ctl status}: members, leader, epoch, lines and records as tables. */
@Command(
    name = "status",
    description = "Show members, leader, epoch, line health and applied records.",
    mixinStandardHelpOptions = true)
final class CtlStatusCommand implements Callable<Integer> {

  @Mixin AdminConnection admin;

  @Option(names = "--json", description = "Print the raw JSON status.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return admin
          .send("GET", "/api/v1/status", Optional.empty(), err)
          .map(a -> print(a, out, err))
          .orElse(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private int print(AdminConnection.Answer a, PrintWriter out, PrintWriter err) {
    if (a.status() != 200) {
      return AdminConnection.print(a, out, err);
    }
    if (json) {
      out.println(a.body());
      out.flush();
      return 0;
    }
    try {
      ClusterStatus status =
          new ObjectMapper()
              .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
              .readValue(a.body(), ClusterStatus.class);
      out.print(new StatusTable().render(status));
    } catch (IOException e) {
      err.println("haddns ctl: the status answer cannot be read: " + e.getMessage());
      return 1;
    }
    // picocli's writer flushes only on println/printf, and main ends with System.exit.
    out.flush();
    return 0;
  }
}
