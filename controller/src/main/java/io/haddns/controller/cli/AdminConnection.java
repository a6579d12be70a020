package io.haddns.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The admin API connection options every {@code haddns ctl} command that talks to a node shares:
 * the endpoints (tried in turn until one answers), the operator token and the timeout. Exit codes
 * of the commands using it (docs/operations.md, "ctl exit codes"): {@value #EXIT_OK} done, {@value
 * #EXIT_REFUSED} refused by the node (any HTTP error status), {@value #EXIT_USAGE} bad usage
 * (including an unreadable token file or a malformed endpoint), {@value #EXIT_UNREACHABLE} no node
 * reachable, {@value #EXIT_INTERRUPTED} interrupted.
 */
final class AdminConnection {
  static final int EXIT_OK = 0;
  static final int EXIT_REFUSED = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_UNREACHABLE = 3;
  static final int EXIT_INTERRUPTED = 130;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--endpoint",
      defaultValue = "${env:HADDNS_ENDPOINT:-http://127.0.0.1:8053}",
      description =
          "Admin URL of any node, or several comma-separated, tried in turn until one answers"
              + " (default: $HADDNS_ENDPOINT, else http://127.0.0.1:8053).")
  String endpoint;

  @Option(
      names = "--token-file",
      description = "File holding an operator token (default: $HADDNS_TOKEN).")
  Path tokenFile;

  @Option(
      names = "--timeout",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "Request timeout (default: ${DEFAULT-VALUE}; a step-down may take 15 s).")
  Duration timeout;

  /** Why the last {@link #send} had no answer: {@link #EXIT_USAGE} or {@link #EXIT_UNREACHABLE}. */
  private int failure = EXIT_UNREACHABLE;

  /** A node's answer and which node gave it. */
  record Answer(URI uri, int status, String body) {}

  /** Notes that the node refused the last call, for {@link #failure()}. */
  void refused() {
    failure = EXIT_REFUSED;
  }

  /** The exit code for the last {@link #send} that had no answer. */
  int failure() {
    return failure;
  }

  /**
   * Sends one call and prints the node's answer as {@link #print} does; the command's exit code.
   */
  int call(String method, String path, Optional<Object> body, PrintWriter out, PrintWriter err) {
    try {
      return send(method, path, body, err).map(a -> print(a, out, err)).orElse(failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_INTERRUPTED;
    }
  }

  /**
   * Sends {@code method path} with {@code body} (JSON, or none) to the first endpoint that answers;
   * empty, with the reasons printed to {@code err}, when none does or the options are unusable.
   */
  Optional<Answer> send(String method, String path, Optional<Object> body, PrintWriter err)
      throws InterruptedException {
    String token;
    try {
      token =
          tokenFile != null
              ? Files.readString(tokenFile).strip()
              : System.getenv().getOrDefault("HADDNS_TOKEN", "").strip();
    } catch (IOException e) {
      err.println("haddns ctl: cannot read --token-file " + tokenFile + ": " + e.getMessage());
      failure = EXIT_USAGE;
      return Optional.empty();
    }
    String json;
    try {
      json = body.isPresent() ? JSON.writeValueAsString(body.get()) : null;
    } catch (IOException e) {
      throw new IllegalStateException("request body not serialisable", e);
    }
    List<String> unreachable = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      for (String e : endpoint.split(",")) {
        URI uri;
        try {
          uri = URI.create(e.strip().replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException ex) {
          err.println("haddns ctl: not a URL: " + e.strip());
          failure = EXIT_USAGE;
          return Optional.empty();
        }
        HttpRequest.Builder req =
            HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(
                    method,
                    json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
          req.header("Content-Type", "application/json");
        }
        if (!token.isEmpty()) {
          req.header("Authorization", "Bearer " + token);
        }
        try {
          HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
          return Optional.of(new Answer(uri, res.statusCode(), res.body()));
        } catch (IOException ex) {
          unreachable.add(unreachable(uri, ex));
        }
      }
    }
    failure = EXIT_UNREACHABLE;
    unreachable.forEach(u -> err.println("haddns ctl: " + u));
    err.println(
        "haddns ctl: is the node running? Give the admin URL of a running node with --endpoint"
            + " URL (several, comma-separated, are tried in turn) or HADDNS_ENDPOINT; the demo"
            + " prints its nodes' URLs, a node its own in the log line 'admin server listening'.");
    return Optional.empty();
  }

  /**
   * Prints a node's answer: its JSON body on success ({@link #EXIT_OK}), else the node's error on
   * {@code err} ({@link #EXIT_REFUSED}).
   */
  static int print(Answer a, PrintWriter out, PrintWriter err) {
    if (a.status() == 200) {
      try {
        Map<?, ?> tree = JSON.readValue(a.body(), Map.class);
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
      } catch (IOException e) {
        out.println(a.body());
      }
      out.flush();
      return EXIT_OK;
    }
    err.println(
        "haddns ctl: " + a.uri() + " answered HTTP " + a.status() + ": " + a.body().strip());
    err.flush();
    return EXIT_REFUSED;
  }

  private String unreachable(URI uri, IOException e) {
    String where = uri.getScheme() + "://" + uri.getAuthority();
    if (e instanceof ConnectException) {
      return "nothing listens at " + where + " (connection refused)";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer from " + where + " within " + timeout.toMillis() + " ms";
    }
    return "cannot reach " + where + ": " + e.getClass().getSimpleName() + " " + e.getMessage();
  }
}
