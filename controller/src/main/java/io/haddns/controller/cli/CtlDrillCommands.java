package io.haddns.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@code haddns ctl drill run|abort|list|show}: failover drills through any node's admin API
 * (docs/operations.md, "Failover drills"). {@code list} and {@code show} print a table, or the
 * node's JSON with {@code --output json}.
 */
final class CtlDrillCommands {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.time.Duration POLL = java.time.Duration.ofMillis(500);
  private static final java.time.Duration WAIT_LIMIT = java.time.Duration.ofHours(2);

  /** The exit code of {@code drill run --wait} when the drill failed or was aborted. */
  static final int NOT_PASSED = 3;

  private CtlDrillCommands() {}

  @Command(
      name = "drill",
      description = "Run, abort, list and show failover drills.",
      mixinStandardHelpOptions = true,
      subcommands = {Run.class, Abort.class, ListDrills.class, Show.class})
  static final class Drill {}

  /** Output selection shared by the reading commands. */
  abstract static class Reading implements Callable<Integer> {
    @Option(
        names = "--output",
        defaultValue = "table",
        description = "table or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    abstract String path();

    abstract void table(Map<?, ?> body, PrintWriter out);

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!output.equals("table") && !output.equals("json")) {
        err.println("haddns ctl: --output must be table or json");
        return 2;
      }
      Optional<AdminConnection.Answer> a = admin.send("GET", path(), Optional.empty(), err);
      if (a.isEmpty()) {
        return 1;
      }
      if (output.equals("json") || a.get().status() != 200) {
        return AdminConnection.print(a.get(), out, err);
      }
      try {
        table(JSON.readValue(a.get().body(), Map.class), out);
      } catch (IOException e) {
        out.println(a.get().body());
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "run",
      description =
          "Start a drill: line-failure (--line, --duration), provider-outage (--zone, --duration),"
              + " leader-failover, leader-crash. Refused with every guard rail in the way.",
      mixinStandardHelpOptions = true)
  static final class Run implements Callable<Integer> {
    @Parameters(
        index = "0",
        description = "line-failure, provider-outage, leader-failover or leader-crash.")
    String kind;

    @Option(names = "--line", description = "The line a line-failure drill fails.")
    String line;

    @Option(names = "--zone", description = "The zone a provider-outage drill cuts off.")
    String zone;

    @Option(names = "--duration", description = "How long the failure lasts, e.g. 30s.")
    String duration;

    @Option(names = "--rto", description = "The recovery time objective, e.g. 2s.")
    String rto;

    @Option(names = "--force", description = "Skip the soft guard rails (admins only).")
    boolean force;

    @Option(
        names = "--wait",
        description =
            "Wait until the drill ends and print its report; exit 0 when it passed, 3 when it"
                + " failed or was aborted.")
    boolean waitForEnd;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("kind", kind);
      put(body, "line", line);
      put(body, "zone", zone);
      put(body, "duration", duration);
      put(body, "rto", rto);
      if (force) {
        body.put("force", true);
      }
      if (!waitForEnd) {
        return send(spec, admin, "/api/v1/drills", Optional.of(body));
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<AdminConnection.Answer> started =
          admin.send("POST", "/api/v1/drills", Optional.of(body), err);
      if (started.isEmpty() || started.get().status() != 200) {
        return started.map(a -> AdminConnection.print(a, out, err)).orElse(1);
      }
      String id = String.valueOf(json(started.get().body()).get("id"));
      out.println("drill " + id + " started; waiting for its report");
      out.flush();
      long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        Thread.sleep(POLL.toMillis());
        Optional<AdminConnection.Answer> a =
            admin.send("GET", "/api/v1/drills/" + seg(id), Optional.empty(), err);
        if (a.isEmpty() || a.get().status() != 200) {
          return a.map(x -> AdminConnection.print(x, out, err)).orElse(1);
        }
        Map<?, ?> d = json(a.get().body());
        if ("ended".equals(d.get("phase"))) {
          report(d, out);
          out.flush();
          return "passed".equals(d.get("verdict")) ? 0 : NOT_PASSED;
        }
      }
      err.println("haddns ctl: drill " + id + " did not end within " + WAIT_LIMIT);
      return 1;
    }

    private static void put(Map<String, Object> body, String key, String value) {
      if (value != null) {
        body.put(key, value);
      }
    }
  }

  @Command(
      name = "abort",
      description = "End a running drill at once; the leader rolls it back.",
      mixinStandardHelpOptions = true)
  static final class Abort implements Callable<Integer> {
    @Parameters(index = "0", description = "The drill id.")
    String id;

    @Mixin AdminConnection admin;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      return send(spec, admin, "/api/v1/drills/" + seg(id) + "/abort", Optional.empty());
    }
  }

  @Command(
      name = "list",
      description = "The drills kept, newest first.",
      mixinStandardHelpOptions = true)
  static final class ListDrills extends Reading {
    @Override
    String path() {
      return "/api/v1/drills";
    }

    @Override
    void table(Map<?, ?> body, PrintWriter out) {
      out.printf(
          "%-34s %-16s %-14s %-9s %-8s %s%n", "ID", "KIND", "TARGET", "PHASE", "VERDICT", "RTO");
      for (Object o : (List<?>) body.get("drills")) {
        Map<?, ?> d = (Map<?, ?>) o;
        out.printf(
            "%-34s %-16s %-14s %-9s %-8s %s%n",
            d.get("id"),
            d.get("kind"),
            text(d.get("line") != null ? d.get("line") : d.get("zone")),
            d.get("phase"),
            text(d.get("verdict")),
            millis(d.get("rtoMillis")));
      }
    }
  }

  @Command(
      name = "show",
      description = "A drill's progress, or its report once ended.",
      mixinStandardHelpOptions = true)
  static final class Show extends Reading {
    @Parameters(index = "0", description = "The drill id.")
    String id;

    @Override
    String path() {
      return "/api/v1/drills/" + seg(id);
    }

    @Override
    void table(Map<?, ?> d, PrintWriter out) {
      report(d, out);
    }
  }

  /** A drill's progress or report as a table. */
  static void report(Map<?, ?> d, PrintWriter out) {
    out.printf("drill     %s%n", d.get("id"));
    out.printf("kind      %s%n", d.get("kind"));
    if (d.get("line") != null) {
      out.printf("line      %s%n", d.get("line"));
    }
    if (d.get("zone") != null) {
      out.printf("zone      %s%n", d.get("zone"));
    }
    out.printf(
        "by        %s%s%n", d.get("by"), Boolean.TRUE.equals(d.get("forced")) ? " (forced)" : "");
    out.printf("phase     %s%n", d.get("phase"));
    out.printf(
        "verdict   %s (objective %s, measured %s)%n",
        text(d.get("verdict")), millis(d.get("rtoObjectiveMillis")), millis(d.get("rtoMillis")));
    out.println();
    out.println("TIMELINE");
    ((Map<?, ?>) d.get("timeline")).forEach((k, v) -> out.printf("  %-13s %s%n", k, v));
    List<?> records = (List<?>) d.get("records");
    if (!records.isEmpty()) {
      out.println();
      out.printf("%-32s %-10s %-26s %s%n", "RECORD", "RTO", "VISIBLE", "BACK");
      for (Object o : records) {
        Map<?, ?> r = (Map<?, ?>) o;
        out.printf(
            "%-32s %-10s %-26s %s%n",
            r.get("record"),
            millis(r.get("rtoMillis")),
            text(r.get("visible")),
            text(r.get("back")));
      }
    }
    List<?> notes = (List<?>) d.get("notes");
    if (!notes.isEmpty()) {
      out.println();
      out.println("NOTES");
      notes.forEach(n -> out.println("  " + n));
    }
  }

  /** POSTs {@code body} to {@code path} and prints the answer; the exit code. */
  private static int send(
      CommandSpec spec, AdminConnection admin, String path, Optional<Object> body)
      throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return admin
        .send("POST", path, body, err)
        .map(a -> AdminConnection.print(a, out, err))
        .orElse(1);
  }

  private static Map<?, ?> json(String body) {
    try {
      return JSON.readValue(body, Map.class);
    } catch (IOException e) {
      throw new IllegalStateException("the node answered something else than JSON", e);
    }
  }

  private static String text(Object o) {
    return o == null ? "-" : o.toString();
  }

  private static String millis(Object o) {
    return o == null ? "-" : o + "ms";
  }

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
