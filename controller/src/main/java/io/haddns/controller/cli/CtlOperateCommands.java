package io.haddns.controller.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code haddns ctl line|zone|leader|agent}: the operator endpoints of the admin API
 * (docs/operations.md), one command each, sent to any node.
 */
final class CtlOperateCommands {
  private CtlOperateCommands() {}

  /** Sends one call and prints its answer; the exit code of {@link AdminConnection#call}. */
  private static int run(
      CommandSpec spec, AdminConnection admin, String method, String path, Object body) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return admin.call(method, path, Optional.ofNullable(body), out, err);
  }

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Command(
      name = "line",
      description = "Force a line down (drain) or up, or clear that.",
      mixinStandardHelpOptions = true,
      subcommands = {Drain.class, ForceUp.class, Clear.class})
  static final class Line {}

  abstract static class LineOverride implements Callable<Integer> {
    @Parameters(index = "0", description = "The line.")
    String line;

    @Option(names = "--for", description = "How long, e.g. 30m (default: until cleared).")
    String duration;

    @Option(names = "--reason", required = true, description = "Why, for status and the audit.")
    String reason;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    abstract String state();

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("state", state());
      if (duration != null) {
        body.put("duration", duration);
      }
      body.put("reason", reason);
      return run(spec, admin, "POST", "/api/v1/lines/" + seg(line) + "/override", body);
    }
  }

  @Command(name = "drain", description = "Force a line down.", mixinStandardHelpOptions = true)
  static final class Drain extends LineOverride {
    @Override
    String state() {
      return "down";
    }
  }

  @Command(name = "force-up", description = "Force a line up.", mixinStandardHelpOptions = true)
  static final class ForceUp extends LineOverride {
    @Override
    String state() {
      return "up";
    }
  }

  @Command(name = "clear", description = "End a line's override.", mixinStandardHelpOptions = true)
  static final class Clear implements Callable<Integer> {
    @Parameters(index = "0", description = "The line.")
    String line;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return run(spec, admin, "DELETE", "/api/v1/lines/" + seg(line) + "/override", null);
    }
  }

  @Command(
      name = "zone",
      description = "Pause or resume a zone's DNS writes.",
      mixinStandardHelpOptions = true,
      subcommands = {Pause.class, Resume.class})
  static final class Zone {}

  @Command(name = "pause", description = "Pause a zone's writes.", mixinStandardHelpOptions = true)
  static final class Pause implements Callable<Integer> {
    @Parameters(index = "0", description = "The zone.")
    String zone;

    @Option(names = "--reason", required = true, description = "Why, for status and the audit.")
    String reason;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return run(
          spec, admin, "POST", "/api/v1/zones/" + seg(zone) + "/pause", Map.of("reason", reason));
    }
  }

  @Command(
      name = "resume",
      description = "Resume a zone's writes.",
      mixinStandardHelpOptions = true)
  static final class Resume implements Callable<Integer> {
    @Parameters(index = "0", description = "The zone.")
    String zone;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return run(spec, admin, "DELETE", "/api/v1/zones/" + seg(zone) + "/pause", null);
    }
  }

  @Command(
      name = "leader",
      description = "Hand leadership over.",
      mixinStandardHelpOptions = true,
      subcommands = {StepDown.class})
  static final class Leader {}

  @Command(
      name = "step-down",
      description = "Ask the leader to hand over; prints the new leader and the hand-over time.",
      mixinStandardHelpOptions = true)
  static final class StepDown implements Callable<Integer> {
    @Option(names = "--to", description = "The node that should take over (best effort).")
    String to;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return run(
          spec, admin, "POST", "/api/v1/leader/step-down", to == null ? null : Map.of("to", to));
    }
  }

  @Command(
      name = "agent",
      description = "Act on a reporter (agent, dyndns2 client, scoped token).",
      mixinStandardHelpOptions = true,
      subcommands = {AgentReset.class})
  static final class Agent {}

  @Command(
      name = "reset",
      description =
          "Reset a reporter's replay protection: its next report is accepted whatever its sequence"
              + " (admin role).",
      mixinStandardHelpOptions = true)
  static final class AgentReset implements Callable<Integer> {
    @Parameters(index = "0", description = "The reporter's id (a line's address: { agent: ID }).")
    String agent;

    @Option(names = "--reason", description = "Why, for the audit.")
    String reason;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return run(
          spec,
          admin,
          "POST",
          "/api/v1/agents/" + seg(agent) + "/reset",
          reason == null ? null : Map.of("reason", reason));
    }
  }
}
