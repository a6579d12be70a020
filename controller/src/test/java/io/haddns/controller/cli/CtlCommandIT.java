package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code haddns ctl} against endpoints where nothing or something listens: what a person who
 * mistyped a port, or asked a node that is down, is told.
 */
class CtlCommandIT {

  private record Run(int exit, String out, String err) {}

  private static Run ctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new ControllerMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void statusWhereNothingListensNamesTheEndpointAndSaysWhatToTry() throws Exception {
    int port = closedPort();

    Run r = ctl("ctl", "status", "--endpoint", "http://127.0.0.1:" + port);

    assertThat(r.exit()).as("no node reachable").isEqualTo(3);
    assertThat(r.err())
        .contains(
            "haddns ctl: nothing listens at http://127.0.0.1:" + port + " (connection refused)")
        .contains("is the node running?")
        .contains("--endpoint URL (several, comma-separated, are tried in turn)")
        .contains("HADDNS_ENDPOINT")
        .doesNotContain("java.net.ConnectException");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void statusTriesEachEndpointOfAListUntilOneAnswers() throws Exception {
    int dead = closedPort();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/status",
        ex -> {
          byte[] body = "{\"cluster\":\"lab\"}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      String live = "http://127.0.0.1:" + server.getAddress().getPort();

      Run r =
          ctl("ctl", "status", "--json", "--endpoint", "http://127.0.0.1:" + dead + ", " + live);

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out().strip()).isEqualTo("{\"cluster\":\"lab\"}");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void digWhereNoDnsServerListensSaysSo() throws Exception {
    int port = closedPort();

    Run r = ctl("ctl", "dig", "app.demo.test", "--server", "127.0.0.1:" + port, "--timeout", "1s");

    assertThat(r.exit()).isEqualTo(1);
    // Loopback answers a closed UDP port with ICMP port unreachable at once; a silent host would
    // be "no answer from … within 1000 ms".
    assertThat(r.err())
        .contains("haddns ctl dig: nothing listens at 127.0.0.1:" + port + " (port unreachable)")
        .doesNotContain("Exception")
        .doesNotContain("null");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void digRejectsAMalformedServerAddress() {
    Run r = ctl("ctl", "dig", "app.demo.test", "--server", "127.0.0.1:notaport");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("not HOST:PORT or [V6]:PORT: 127.0.0.1:notaport");
  }
}
