package io.haddns.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code haddns ctl audit}: a page of the audit trail, newest first, as a table or the node's JSON;
 * with {@code --follow}, the matching events so far oldest first, then every new one as it comes
 * (polling with {@code since} set to the newest event seen), until interrupted.
 */
@Command(
    name = "audit",
    description = "Read the audit trail, newest first; --follow prints new events as they come.",
    mixinStandardHelpOptions = true)
final class CtlAuditCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--kind", description = "Only events of this type, e.g. override-set.")
  String kind;

  @Option(names = "--line", description = "Only events about this line.")
  String line;

  @Option(names = "--zone", description = "Only events about this zone.")
  String zone;

  @Option(names = "--since", description = "Only events at or after, e.g. 2026-01-02T03:04:05Z.")
  String since;

  @Option(names = "--until", description = "Only events before this time.")
  String until;

  @Option(names = "--limit", description = "Events per page, 1-1000 (default 100).")
  Integer limit;

  @Option(names = "--cursor", description = "The `next` of the previous page.")
  String cursor;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep polling and print new events as they come (oldest first), until Ctrl-C.")
  boolean follow;

  @Option(
      names = "--interval",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How often --follow polls (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Mixin AdminConnection admin;
  @Mixin OutputOption output;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return follow ? follow(out, err) : page(out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AdminConnection.EXIT_INTERRUPTED;
    }
  }

  private int page(PrintWriter out, PrintWriter err) throws InterruptedException {
    Map<String, Object> q = filters();
    q.put("since", since);
    q.put("limit", limit);
    q.put("cursor", cursor);
    Optional<AdminConnection.Answer> a = admin.send("GET", path(q), Optional.empty(), err);
    if (a.isEmpty()) {
      return admin.failure();
    }
    if (a.get().status() != 200 || output.isJson()) {
      return AdminConnection.print(a.get(), out, err);
    }
    JsonNode page = read(a.get());
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("AT", "NODE", "TYPE", "DETAIL"));
    page.path("events").forEach(e -> rows.add(row(e)));
    StringBuilder table = new StringBuilder();
    StatusTable.table(table, rows);
    out.print(table);
    if (page.hasNonNull("next")) {
      out.println("older events: --cursor " + page.get("next").asText());
    }
    out.flush();
    return AdminConnection.EXIT_OK;
  }

  /**
   * Polls until interrupted. Events are told apart by all their fields, so those at the instant of
   * the newest one seen (which {@code since} returns again) are printed once.
   */
  private int follow(PrintWriter out, PrintWriter err) throws InterruptedException {
    Optional<String> from = Optional.ofNullable(since);
    Set<JsonNode> seenAtFrom = new HashSet<>();
    while (true) {
      Optional<List<JsonNode>> events = fetchAll(from, err);
      if (events.isEmpty() && admin.failure() != AdminConnection.EXIT_UNREACHABLE) {
        return admin.failure();
      }
      List<JsonNode> fresh =
          events.orElse(List.of()).reversed().stream()
              .filter(e -> !seenAtFrom.contains(e))
              .toList();
      for (JsonNode e : fresh) {
        out.println(output.isJson() ? e.toString() : String.join("  ", row(e)));
        String at = e.path("at").asText();
        if (from.isEmpty() || !from.get().equals(at)) {
          from = Optional.of(at);
          seenAtFrom.clear();
        }
        seenAtFrom.add(e);
      }
      out.flush();
      Thread.sleep(interval.toMillis());
    }
  }

  /**
   * Every event since {@code from}, newest first, following the pages' cursors; empty when no node
   * answered ({@link AdminConnection#failure()} says why) or the node refused ({@link
   * AdminConnection#EXIT_REFUSED}, printed).
   */
  private Optional<List<JsonNode>> fetchAll(Optional<String> from, PrintWriter err)
      throws InterruptedException {
    List<JsonNode> all = new ArrayList<>();
    Optional<String> next = Optional.empty();
    do {
      Map<String, Object> q = filters();
      q.put("since", from.orElse(null));
      q.put("limit", 1000);
      q.put("cursor", next.orElse(null));
      Optional<AdminConnection.Answer> a = admin.send("GET", path(q), Optional.empty(), err);
      if (a.isEmpty()) {
        return Optional.empty();
      }
      if (a.get().status() != 200) {
        AdminConnection.print(a.get(), err, err);
        admin.refused();
        return Optional.empty();
      }
      JsonNode page = read(a.get());
      page.path("events").forEach(all::add);
      next = page.hasNonNull("next") ? Optional.of(page.get("next").asText()) : Optional.empty();
    } while (next.isPresent());
    return Optional.of(all);
  }

  private Map<String, Object> filters() {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("kind", kind);
    q.put("line", line);
    q.put("zone", zone);
    q.put("until", until);
    return q;
  }

  private static String path(Map<String, Object> params) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach(
        (k, v) -> {
          if (v != null) {
            q.add(k + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
          }
        });
    return "/api/v1/audit" + q;
  }

  private static JsonNode read(AdminConnection.Answer a) {
    try {
      return JSON.readTree(a.body());
    } catch (IOException e) {
      throw new IllegalStateException("the audit answer is not JSON: " + e.getMessage(), e);
    }
  }

  private static List<String> row(JsonNode e) {
    return List.of(
        e.path("at").asText(),
        e.path("node").asText(),
        e.path("type").asText(),
        e.path("detail").asText());
  }
}
