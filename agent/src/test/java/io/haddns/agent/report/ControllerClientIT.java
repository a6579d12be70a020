package io.haddns.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real HTTPS on loopback: certificate verification with a private CA, fail-over. */
class ControllerClientIT {
  private HttpsServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  static SSLContext serverTls() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = ControllerClientIT.class.getResourceAsStream("/test-tls.p12")) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  static Path caFile() throws Exception {
    return Path.of(ControllerClientIT.class.getResource("/test-ca.pem").toURI());
  }

  private URI startServer(int status, String answer) throws Exception {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls()));
    server.createContext(
        "/api/v1/report",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] out = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
    return URI.create("https://localhost:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private ControllerClient client(List<URI> endpoints, SSLContext tls) {
    return new ControllerClient(
        endpoints,
        new HttpReportTransport(tls, Duration.ofSeconds(5)),
        new ReportJson(),
        new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)),
        Sleeper.SYSTEM,
        new Random());
  }

  @Test
  void failsOverFromADeadEndpointToALiveOneOverVerifiedTls() throws Exception {
    URI live = startServer(200, "{\"status\":\"accepted\",\"sequence\":9}");
    URI dead = URI.create("https://localhost:" + closedPort());
    SignedReport report = TestReports.signed(9);

    Delivery d =
        client(List.of(dead, live), CaTrust.sslContext(Optional.of(caFile()))).send(report);

    assertThat(d).isInstanceOf(Delivery.Acknowledged.class);
    assertThat(new ReportJson().fromJson(bodies.get(0))).isEqualTo(report);
  }

  @Test
  void refusesAServerItsTrustDoesNotCover() throws Exception {
    URI live = startServer(200, "{\"status\":\"accepted\"}");

    Delivery d =
        client(List.of(live), CaTrust.sslContext(Optional.empty())).send(TestReports.signed(1));

    assertThat(d).isInstanceOf(Delivery.Undelivered.class);
    assertThat(bodies).isEmpty();
  }

  @Test
  void passesOnAPermanentRefusal() throws Exception {
    URI live = startServer(401, "{\"status\":\"unknown-agent\",\"detail\":\"no such agent\"}");

    Delivery d =
        client(List.of(live), CaTrust.sslContext(Optional.of(caFile())))
            .send(TestReports.signed(1));

    assertThat(d).isInstanceOf(Delivery.Rejected.class);
    assertThat(((Delivery.Rejected) d).status()).isEqualTo("unknown-agent");
    assertThat(bodies).hasSize(1);
  }
}
