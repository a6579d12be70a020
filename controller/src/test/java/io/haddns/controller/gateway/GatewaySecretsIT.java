package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.config.Dyndns2Config;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A dyndns2 update with a password, a wrong password and a signed agent report through a real
 * gateway on a real ZooKeeper: neither the logs (at DEBUG, more than a node writes) nor the audit
 * trail contain the password, the {@code Authorization} value or the report's signature, in the
 * text or the JSON log format.
 */
class GatewaySecretsIT {
  static final TestAgent AGENT = new TestAgent("office-gw", 7);
  static final String PASSWORD = "S3cret-router-pass";
  static final String WRONG = "Wr0ng-guess-pass";

  @Test
  void passwordsAuthorizationValuesAndSignaturesAppearNeitherInLogsNorInTheAuditTrail()
      throws Exception {
    InstantSource clock = InstantSource.system();
    String authorization = basic(PASSWORD);
    String wrongAuthorization = basic(WRONG);
    String report = AGENT.body("telecom", "ipv4", List.of("198.51.100.7"), clock.millis(), 1);
    String signature = new ObjectMapper().readTree(report).path("signature").asText();
    assertThat(signature).isNotEmpty();

    List<String> logLines;
    List<String> jsonLines;
    List<AuditEvent> audit;
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger haddns = context.getLogger("io.haddns");
    Level before = haddns.getLevel();
    try (TestingServer zk = ZkTestServers.server();
        ZkClient client = ZkTestServers.client(zk.getConnectString());
        ZkStateStore store =
            new ZkStateStore(client, new ZkPaths("it"), "node-a", clock, StoreSettings.defaults());
        LogCapture logs = LogCapture.start()) {
      haddns.setLevel(Level.DEBUG);
      store.start();
      GatewayServer gateway =
          new GatewayServer(
              GatewaySettings.defaults("127.0.0.1", 0),
              new GatewayCredentials(
                  List.of(AGENT.config(List.of("telecom"), true)),
                  List.of(
                      new Dyndns2Config(
                          "router1",
                          new io.haddns.controller.config.PasswordHash(
                              BCrypt.withDefaults().hash(6, PASSWORD.toCharArray()), "test"),
                          List.of("home.example.com"),
                          "home",
                          true))),
              store,
              store::audit,
              clock,
              "node-a",
              GatewayObserver.NOOP);
      gateway.start();
      try {
        String base = "http://127.0.0.1:" + gateway.address().getPort();
        HttpClient http = HttpClient.newHttpClient();
        List<String> answers = new ArrayList<>();
        for (String auth : List.of(authorization, wrongAuthorization)) {
          answers.add(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  base + "/nic/update?hostname=home.example.com&myip=198.51.100.9"))
                          .header("Authorization", auth)
                          .header("User-Agent", "secrets-it/1")
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
        }
        answers.add(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + GatewayHandler.REPORT_PATH))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(report))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());

        assertThat(answers.get(0)).isEqualTo("good 198.51.100.9\n");
        assertThat(answers.get(1)).isEqualTo("badauth\n");
        assertThat(answers.get(2)).contains("\"status\":\"accepted\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> store.recentAudit(50).size() >= 3);
      } finally {
        gateway.close();
      }
      logLines = logs.lines();
      jsonLines = logs.jsonLines();
      audit = store.recentAudit(50);
    } finally {
      haddns.setLevel(before);
    }

    List<String> everything = new ArrayList<>(logLines);
    everything.addAll(jsonLines);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : jsonLines) {
      parsed.add(json.readTree(line));
    }
    assertThat(parsed)
        .anyMatch(
            n ->
                n.path("formattedMessage").asText().contains("dyndns2 update user=router1")
                    && !n.path("level").asText().isEmpty()
                    && !n.path("loggerName").asText().isEmpty());
    audit.forEach(e -> everything.add(e.type() + " " + e.detail()));
    assertThat(audit)
        .extracting(AuditEvent::type)
        .contains("dyndns2-update", "dyndns2-rejected", "address-report");
    assertThat(logLines).anyMatch(l -> l.contains("dyndns2 update user=router1"));
    for (String secret :
        List.of(
            PASSWORD,
            WRONG,
            authorization.substring("Basic ".length()),
            wrongAuthorization.substring("Basic ".length()),
            signature)) {
      assertThat(everything).noneMatch(l -> l.contains(secret));
    }
  }

  private static String basic(String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("router1:" + password).getBytes(StandardCharsets.UTF_8));
  }
}
