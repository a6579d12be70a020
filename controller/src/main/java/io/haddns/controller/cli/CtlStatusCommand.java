package io.haddns.controller.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.admin.ClusterStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code haddns ctl status|lines|records}: views of {@code GET /api/v1/status} as tables, or its
 * JSON with {@code --output json} (the whole answer for {@code status}, the {@code lines} or {@code
 * records} part for the others).
 */
@Command(
    name = "status",
    description =
        "Show members, leader, epoch, line health and overrides, applied records, paused zones.",
    mixinStandardHelpOptions = true)
class CtlStatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @Mixin AdminConnection admin;
  @Mixin OutputOption output;
  @Spec CommandSpec spec;

  /** The table this command prints. */
  String table(ClusterStatus status) {
    return new StatusTable().render(status);
  }

  /** The JSON this command prints: all of the node's answer, or a part. */
  Optional<String> part() {
    return Optional.empty();
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return admin
          .send("GET", "/api/v1/status", Optional.empty(), err)
          .map(a -> print(a, out, err))
          .orElse(admin.failure());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AdminConnection.EXIT_INTERRUPTED;
    }
  }

  private int print(AdminConnection.Answer a, PrintWriter out, PrintWriter err) {
    if (a.status() != 200) {
      return AdminConnection.print(a, out, err);
    }
    try {
      if (output.isJson()) {
        if (part().isEmpty()) {
          out.println(a.body());
        } else {
          JsonNode tree = JSON.readTree(a.body()).path(part().get());
          out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        }
      } else {
        out.print(table(JSON.readValue(a.body(), ClusterStatus.class)));
      }
    } catch (IOException e) {
      err.println("haddns ctl: the status answer cannot be read: " + e.getMessage());
      err.flush();
      return AdminConnection.EXIT_REFUSED;
    }
    // picocli's writer flushes only on println/printf, and main ends with System.exit.
    out.flush();
    return AdminConnection.EXIT_OK;
  }

  /** {@code haddns ctl lines}: each line's health, addresses and operators' overrides. */
  @Command(
      name = "lines",
      description =
          "Show each line's health and addresses, and the overrides operators set (state, by,"
              + " until, reason).",
      mixinStandardHelpOptions = true)
  static final class Lines extends CtlStatusCommand {
    @Override
    String table(ClusterStatus status) {
      return new StatusTable().renderLines(status);
    }

    @Override
    Optional<String> part() {
      return Optional.of("lines");
    }
  }

  /** {@code haddns ctl records}: the applied record sets and paused zones. */
  @Command(
      name = "records",
      description = "Show the applied record sets, paused zones and dry-run plans.",
      mixinStandardHelpOptions = true)
  static final class Records extends CtlStatusCommand {
    @Override
    String table(ClusterStatus status) {
      return new StatusTable().renderRecords(status);
    }

    @Override
    Optional<String> part() {
      return Optional.of("records");
    }
  }
}
