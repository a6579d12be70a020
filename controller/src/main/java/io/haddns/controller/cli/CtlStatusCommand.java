package io.haddns.controller.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.admin.ClusterStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haddns ctl status}: members, leader, epoch, lines and records as tables. */
@Command(
    name = "status",
    description = "Show members, leader, epoch, line health and applied records.",
    mixinStandardHelpOptions = true)
final class CtlStatusCommand implements Callable<Integer> {

  @Option(
      names = "--endpoint",
      defaultValue = "${env:HADDNS_ENDPOINT:-http://127.0.0.1:8053}",
      description =
          "Admin URL of any node, or several comma-separated, tried in turn until one answers"
              + " (default: $HADDNS_ENDPOINT, else http://127.0.0.1:8053).")
  String endpoint;

  @Option(
      names = "--token-file",
      description =
          "File holding an operator token (default: $HADDNS_TOKEN); needed once the cluster"
              + " configures operator credentials.")
  java.nio.file.Path tokenFile;

  @Option(names = "--json", description = "Print the raw JSON status.")
  boolean json;

  @Option(
      names = "--timeout",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Request timeout (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<URI> uris = new ArrayList<>();
    for (String e : endpoint.split(",")) {
      try {
        uris.add(URI.create(e.strip().replaceAll("/+$", "") + "/api/v1/status"));
      } catch (IllegalArgumentException ex) {
        err.println("haddns ctl: not a URL: " + e.strip());
        return 2;
      }
    }
    String token;
    try {
      token =
          tokenFile != null
              ? java.nio.file.Files.readString(tokenFile).strip()
              : System.getenv().getOrDefault("HADDNS_TOKEN", "").strip();
    } catch (IOException e) {
      err.println("haddns ctl: cannot read --token-file " + tokenFile + ": " + e.getMessage());
      return 2;
    }
    List<String> unreachable = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      for (URI uri : uris) {
        HttpResponse<String> res;
        try {
          res = http.send(request(uri, token), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          unreachable.add(unreachable(uri, e));
          continue;
        }
        return print(uri, res, out, err);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (IOException e) {
      err.println("haddns ctl: the status answer cannot be read: " + e.getMessage());
      return 1;
    }
    unreachable.forEach(u -> err.println("haddns ctl: " + u));
    err.println(
        "haddns ctl: is the node running? Give the admin URL of a running node with --endpoint"
            + " URL (several, comma-separated, are tried in turn) or HADDNS_ENDPOINT; the demo"
            + " prints its nodes' URLs, a node its own in the log line 'admin server listening'.");
    return 1;
  }

  private int print(URI uri, HttpResponse<String> res, PrintWriter out, PrintWriter err)
      throws IOException {
    if (res.statusCode() != 200) {
      err.println(
          "haddns ctl: " + uri + " answered HTTP " + res.statusCode() + ": " + res.body().strip());
      return 1;
    }
    if (json) {
      out.println(res.body());
      return 0;
    }
    ClusterStatus status =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .readValue(res.body(), ClusterStatus.class);
    out.print(new StatusTable().render(status));
    // picocli's writer flushes only on println/printf, and main ends with System.exit.
    out.flush();
    return 0;
  }

  private HttpRequest request(URI uri, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    if (!token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
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
