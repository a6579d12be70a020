package io.haddns.controller.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code haddns ctl notify test|status}: notifications (docs/notifications.md). */
@Command(
    name = "notify",
    description = "Send a test notification to a receiver, or show the outbox and dead letters.",
    mixinStandardHelpOptions = true,
    subcommands = {CtlNotifyCommand.Test.class, CtlNotifyCommand.Status.class})
final class CtlNotifyCommand {
  private static int run(CommandSpec spec, AdminConnection admin, String method, String path)
      throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return admin
        .send(method, path, Optional.empty(), err)
        .map(a -> AdminConnection.print(a, out, err))
        .orElse(1);
  }

  @Command(
      name = "test",
      description = "Send a test message to RECEIVER now; exit 1 unless it took it.",
      mixinStandardHelpOptions = true)
  static final class Test implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RECEIVER", description = "The receiver's name.")
    String receiver;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      String seg = URLEncoder.encode(receiver, StandardCharsets.UTF_8).replace("+", "%20");
      return run(spec, admin, "POST", "/api/v1/notifications/receivers/" + seg + "/test");
    }
  }

  @Command(
      name = "status",
      description = "Receivers, pending notifications and dead letters.",
      mixinStandardHelpOptions = true)
  static final class Status implements Callable<Integer> {
    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      return run(spec, admin, "GET", "/api/v1/notifications");
    }
  }
}
