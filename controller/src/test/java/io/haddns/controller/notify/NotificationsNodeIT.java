package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.cli.ControllerMain;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.testing.LineListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Notifications on a whole node (embedded ZooKeeper and DNS, two lines with real TCP listeners):
 * its leadership, a line going down and the record's failover reach a signed webhook; {@code ctl
 * notify test} sends a test message; status and metrics show the outbox.
 */
class NotificationsNodeIT {
  private static final String KEY = "node-it-webhook-key";

  @TempDir Path dir;
  private final String operator = OperatorTokens.generate("notes", new SecureRandom());
  private final String viewer = OperatorTokens.generate("notes", new SecureRandom());
  private final NotificationCodec codec = new NotificationCodec();
  private LineListener a;
  private LineListener b;
  private ReceiverServer hook;
  private NodeRuntime node;
  private String base;

  @BeforeEach
  void start() throws Exception {
    hook = ReceiverServer.ok();
    Files.writeString(dir.resolve("hook.key"), KEY + "\n");
    InetAddress addrA = InetAddress.getByName("127.0.0.31");
    InetAddress addrB = InetAddress.getByName("127.0.0.32");
    int port = LineListener.freePort(addrA, addrB);
    a = new LineListener(addrA, port).open();
    b = new LineListener(addrB, port).open();
    String yaml =
        """
        cluster:
          name: notes
          sessionTimeout: 2s
          connectionTimeout: 1s
          dataDir: %s
        lines:
          - name: a
            address: { static: [127.0.0.31] }
            probes: [ { tcp: { port: %d } } ]
            interval: 100ms
            timeout: 80ms
          - name: b
            address: { static: [127.0.0.32] }
            probes: [ { tcp: { port: %d } } ]
            interval: 100ms
            timeout: 80ms
        zones:
          - name: notes.test
            provider: { type: embedded, nameservers: [127.0.0.1] }
        records:
          - { name: app.notes.test, ttl: 30, policy: failover, lines: [a, b] }
        operators:
          tokens:
            - { name: alice, role: operator, sha256: "%s" }
            - { name: grafana, role: viewer, sha256: "%s" }
        notifications:
          pollInterval: 50ms
          receivers:
            - { name: hook, type: webhook, url: "%s", secretFile: hook.key, timeout: 2s }
          routes:
            - { receivers: [hook], groupInterval: 0s }
        """
            .formatted(
                dir.resolve("data"),
                port,
                port,
                OperatorTokens.sha256(operator),
                OperatorTokens.sha256(viewer),
                hook.url("/haddns"));
    HaddnsConfig cfg = new ConfigLoader(Map.of()).parse(yaml, "notes.yaml", dir);
    node =
        NodeRuntime.start(
            cfg.withNode(new NodeConfig("notes-node", "127.0.0.1", 0, "127.0.0.1", 0)),
            Optional.empty(),
            InstantSource.system(),
            "it");
    base = "http://127.0.0.1:" + node.admin().address().getPort();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    a.close();
    b.close();
    hook.close();
  }

  /** Every event the webhook got, after checking each request's signature. */
  private List<JsonNode> events() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (ReceiverServer.Request r : hook.requests()) {
      String ts = r.header("X-Haddns-Timestamp");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String expected =
          HexFormat.of()
              .formatHex(mac.doFinal((ts + "." + r.text()).getBytes(StandardCharsets.UTF_8)));
      assertThat(r.header("X-Haddns-Signature")).isEqualTo(expected);
      codec.tree(r.body()).path("events").forEach(out::add);
    }
    return out;
  }

  private boolean got(String kind, String detail, String value) throws Exception {
    return events().stream()
        .anyMatch(
            e ->
                e.path("kind").asText().equals(kind)
                    && e.path("details").path(detail).asText().equals(value));
  }

  private record Ctl(int exit, String out, String err) {}

  private Ctl ctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new ControllerMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Ctl(exit, out.toString(), err.toString());
  }

  @Test
  void tellsTheWebhookOfLeadershipALineDownAndTheRecordsFailover() throws Exception {
    Duration wait = Duration.ofSeconds(20);
    await().atMost(wait).until(() -> got("leadership", "node", "notes-node"));
    await().atMost(wait).until(() -> got("record-changed", "after", "127.0.0.31"));

    a.down();

    await().atMost(wait).until(() -> got("line-health", "to", "down"));
    await()
        .atMost(wait)
        .until(
            () ->
                events().stream()
                    .anyMatch(
                        e ->
                            e.path("kind").asText().equals("record-changed")
                                && e.path("details").path("before").asText().equals("127.0.0.31")
                                && e.path("details").path("after").asText().equals("127.0.0.32")));
    JsonNode down =
        events().stream()
            .filter(e -> e.path("kind").asText().equals("line-health"))
            .filter(e -> e.path("details").path("to").asText().equals("down"))
            .findFirst()
            .orElseThrow();
    assertThat(down.path("severity").asText()).isEqualTo("critical");
    assertThat(down.path("subject").asText()).isEqualTo("a");
    assertThat(down.path("id").asText()).isNotBlank();
    await().atMost(wait).until(() -> node.store().outbox().counts().pending() == 0);
  }

  private Ctl notify(Path token, String... args) {
    List<String> all = new ArrayList<>(List.of("ctl", "notify"));
    all.addAll(List.of(args));
    all.addAll(List.of("--endpoint", base, "--token-file", token.toString()));
    return ctl(all.toArray(String[]::new));
  }

  @Test
  void ctlSendsATestMessageAndShowsTheOutbox() throws Exception {
    Path tokenFile = dir.resolve("alice.token");
    Files.writeString(tokenFile, operator + "\n");
    Path viewerFile = dir.resolve("grafana.token");
    Files.writeString(viewerFile, viewer + "\n");

    Ctl test = notify(tokenFile, "test", "hook");
    assertThat(test.exit()).as(test.err()).isZero();
    assertThat(test.out()).contains("\"outcome\" : \"delivered\"");
    assertThat(events()).anyMatch(e -> e.path("kind").asText().equals("test"));

    Ctl unknown = notify(tokenFile, "test", "nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 404").contains("no such receiver: nope");

    Ctl asViewer = notify(viewerFile, "test", "hook");
    assertThat(asViewer.exit()).isEqualTo(1);
    assertThat(asViewer.err()).contains("HTTP 403");

    hook.answer(ReceiverServer.Reply.of(401, "bad signature"));
    Ctl refused = notify(tokenFile, "test", "hook");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("refused the test message: HTTP 401: bad signature");

    Ctl status = notify(viewerFile, "status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("\"enabled\" : true").contains("\"name\" : \"hook\"");

    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains("haddns_notifications_attempts_total{")
        .contains("outcome=\"test-delivered\"")
        .contains("haddns_notifications_dead_letters ");
  }
}
