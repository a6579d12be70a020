package io.haddns.controller.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.admin.ClusterStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
      description = "Admin URL of any node (default: ${DEFAULT-VALUE}).")
  String endpoint;

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
    URI uri;
    try {
      uri = URI.create(endpoint.replaceAll("/+$", "") + "/api/v1/status");
    } catch (IllegalArgumentException e) {
      err.println("haddns ctl: not a URL: " + endpoint);
      return 2;
    }
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        err.println(
            "haddns ctl: "
                + uri
                + " answered HTTP "
                + res.statusCode()
                + ": "
                + res.body().strip());
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
    } catch (IOException e) {
      err.println("haddns ctl: cannot reach " + uri + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
