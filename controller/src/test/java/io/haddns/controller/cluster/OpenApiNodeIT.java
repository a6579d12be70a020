package io.haddns.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.haddns.controller.admin.ApiRoute;
import io.haddns.controller.admin.OpenApiContract;
import io.haddns.controller.admin.OpenApiDocument;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.cli.ControllerMain;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.testing.EmbeddedNode;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The OpenAPI document against a whole node: every route the node registers is described (a route
 * added without its description is named), the document served is docs/openapi.json, and real
 * answers of every route, successes and refusals, fit the schemas the document gives them.
 */
class OpenApiNodeIT {
  @TempDir Path dir;
  private final String operator = OperatorTokens.generate("spec", new SecureRandom());
  private final String viewer = OperatorTokens.generate("spec", new SecureRandom());
  private final String admin = OperatorTokens.generate("spec", new SecureRandom());
  private final String updater = OperatorTokens.generate("spec", new SecureRandom());
  private final OpenApiContract contract = OpenApiContract.served();
  private final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> violations = new ArrayList<>();
  private final Set<String> exercised = new TreeSet<>();
  private NodeRuntime node;
  private HttpServer receiver;
  private String base;

  @BeforeEach
  void start() throws Exception {
    // A notification receiver on loopback: /ok takes every message, /refuse rejects it (400).
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/ok", exchange -> answer(exchange, 200));
    receiver.createContext("/refuse", exchange -> answer(exchange, 400));
    receiver.start();
    String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort();
    String yaml =
        """
        cluster: { name: spec, sessionTimeout: 2s, connectionTimeout: 1s, dataDir: %s }
        lines:
          - { name: home, address: { agent: ci }, probes: [ { tcp: { port: 9 } } ], interval: 100ms, timeout: 80ms }
        zones:
          - { name: spec.test, provider: { type: embedded, nameservers: [127.0.0.1] } }
        records:
          - { name: www.spec.test, ttl: 30, lines: [home] }
        operators:
          tokens:
            - { name: alice, role: operator, sha256: "%s" }
            - { name: grafana, role: viewer, sha256: "%s" }
            - { name: root, role: admin, sha256: "%s" }
            - { name: ci, role: viewer, sha256: "%s", scope: { line: home, hostnames: [www.spec.test] } }
        notifications:
          receivers:
            - { name: hook, type: webhook, url: "%s/ok", timeout: 2s }
            - { name: refusing, type: webhook, url: "%s/refuse", timeout: 2s }
        """
            .formatted(
                dir.resolve("data"),
                OperatorTokens.sha256(operator),
                OperatorTokens.sha256(viewer),
                OperatorTokens.sha256(admin),
                OperatorTokens.sha256(updater),
                hooks,
                hooks);
    node = EmbeddedNode.start(yaml, dir, "spec-node");
    base = "http://127.0.0.1:" + node.admin().address().getPort();
    await().atMost(Duration.ofSeconds(20)).until(node.node()::isLeader);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private static void answer(HttpExchange exchange, int status) throws java.io.IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] body = (status == 200 ? "ok" : "bad request").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Sends a call, checks its answer against the document, and returns it. */
  private HttpResponse<String> check(
      String method,
      String template,
      String path,
      String token,
      String contentType,
      String body,
      Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      req.header("Content-Type", contentType);
    }
    headers.forEach(req::header);
    HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    String type = res.headers().firstValue("Content-Type").orElse("");
    violations.addAll(
        contract.violations(method, template, res.statusCode(), type, res.body()).stream()
            .map(v -> v + " (body " + res.body().strip() + ")")
            .toList());
    exercised.add(method + " " + template);
    return res;
  }

  private HttpResponse<String> check(
      String method, String template, String path, String token, String json) throws Exception {
    return check(method, template, path, token, "application/json", json, Map.of());
  }

  @Test
  void describesEveryRouteTheNodeRegistersAndNothingElse() {
    List<ApiRoute> routes = node.admin().routes();

    assertThat(contract.undocumented(routes))
        .as("routes the node registers that docs/openapi.json does not describe")
        .isEmpty();
    assertThat(contract.unserved(routes))
        .as("operations docs/openapi.json describes that the node does not serve")
        .isEmpty();
  }

  @Test
  void servesDocsOpenapiJson() throws Exception {
    HttpResponse<String> res =
        check("GET", OpenApiDocument.PATH, OpenApiDocument.PATH, viewer, null);

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(OpenApiContract.served().document())
        .isEqualTo(new ObjectMapper().readTree(res.body()));
  }

  @Test
  void realAnswersOfEveryRouteFitTheirSchemas() throws Exception {
    String override = "/api/v1/lines/{line}/override";
    String pause = "/api/v1/zones/{zone}/pause";
    String audit = "/api/v1/audit";

    check("GET", "/api/v1/status", "/api/v1/status", viewer, null);
    check("GET", OpenApiDocument.PATH, OpenApiDocument.PATH, viewer, null);
    check(
        "POST",
        "/api/v1/update",
        "/api/v1/update",
        updater,
        "application/x-www-form-urlencoded",
        "hostname=www.spec.test&ip=192.0.2.7",
        Map.of());
    check("POST", "/api/v1/update", "/api/v1/update", updater, "{\"hostname\":\"www.spec.test\"}");
    check("POST", "/api/v1/update", "/api/v1/update", updater, "{\"hostname\":\"other.test\"}");
    check(
        "POST",
        override,
        "/api/v1/lines/home/override",
        operator,
        "{\"state\":\"down\",\"duration\":\"10m\",\"reason\":\"maintenance\"}");
    check(
        "POST",
        override,
        "/api/v1/lines/home/override",
        operator,
        "{\"state\":\"up\",\"reason\":\"until cleared\"}");
    // Status with an override and a pause in force: their objects fit too.
    check("POST", pause, "/api/v1/zones/spec.test/pause", operator, "{\"reason\":\"migration\"}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                check("GET", "/api/v1/status", "/api/v1/status", viewer, null)
                    .body()
                    .contains("migration"));
    check("DELETE", override, "/api/v1/lines/home/override", operator, null);
    check("DELETE", override, "/api/v1/lines/home/override", operator, null);
    check("DELETE", pause, "/api/v1/zones/spec.test/pause", operator, null);
    check("POST", "/api/v1/leader/step-down", "/api/v1/leader/step-down", operator, null);
    String reset = "/api/v1/agents/{agent}/reset";
    check("POST", reset, "/api/v1/agents/ci/reset", admin, "{\"reason\":\"replaced router\"}");
    check("POST", reset, "/api/v1/agents/ci/reset", admin, null);
    check("POST", reset, "/api/v1/agents/nobody/reset", admin, null);
    check("POST", reset, "/api/v1/agents/ci/reset", operator, null);
    check("GET", audit, audit + "?limit=2", viewer, null);
    HttpResponse<String> ndjson =
        check("GET", audit, audit + "?format=ndjson&kind=override-set", viewer, null);
    assertThat(ndjson.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertThat(ndjson.body().lines().toList())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).startsWith("{\"at\"").contains("\"type\":\"override-set\""));
    check(
        "GET",
        audit,
        audit + "?zone=spec.test",
        viewer,
        null,
        null,
        Map.of("Accept", "application/x-ndjson"));
    // Refusals: each documented with the Error schema.
    check("POST", override, "/api/v1/lines/nope/override", operator, "{\"state\":\"down\"}");
    check("POST", override, "/api/v1/lines/home/override", operator, "{\"state\":\"down\",");
    check(
        "POST",
        override,
        "/api/v1/lines/home/override",
        operator,
        "{\"state\":\"down\",\"duration\":\"8d\",\"reason\":\"x\"}");
    check("POST", override, "/api/v1/lines/home/override", viewer, "{\"state\":\"down\"}");
    check("POST", override, "/api/v1/lines/home/override", null, "{\"state\":\"down\"}");
    check("GET", audit, audit + "?limit=5000", viewer, null);
    check("GET", audit, audit + "?format=xml", viewer, null);
    whoamiCalls();
    drillCalls();
    notificationCalls();

    assertThat(violations).as("answers outside docs/openapi.json").isEmpty();
    assertThat(OpenApiContract.operations(node.admin().routes()))
        .as("routes without a sample call in OpenApiNodeIT")
        .isSubsetOf(exercised);
  }

  private void whoamiCalls() throws Exception {
    String whoami = "/api/v1/whoami";
    assertThat(check("GET", whoami, whoami, operator, null).body())
        .contains("\"name\" : \"alice\"")
        .contains("\"role\" : \"operator\"")
        .contains("\"kind\" : \"token\"");
    check("GET", whoami, whoami, updater, null);
    check("GET", whoami, whoami, null, null);
    check("GET", whoami, whoami, "spec_not-a-token", null);
  }

  /**
   * Drills on a one-node cluster whose only line is down: leader and line drills are refused by
   * their guard rails (409 with the reasons); a provider-outage drill on spec.test starts, is
   * listed, read, aborted and read again once ended.
   */
  private void drillCalls() throws Exception {
    String drills = "/api/v1/drills";
    String one = "/api/v1/drills/{id}";
    String abort = "/api/v1/drills/{id}/abort";
    assertThat(check("POST", drills, drills, operator, "{\"kind\":\"leader-failover\"}").body())
        .contains("\"rule\" : \"members\"");
    assertThat(
            check(
                    "POST",
                    drills,
                    drills,
                    operator,
                    "{\"kind\":\"line-failure\",\"line\":\"home\",\"duration\":\"10s\"}")
                .statusCode())
        .isEqualTo(409);
    check(
        "POST",
        drills,
        drills,
        operator,
        "{\"kind\":\"line-failure\",\"line\":\"nope\",\"duration\":\"10s\"}");
    check("POST", drills, drills, operator, "{\"kind\":\"meteor\"}");
    check(
        "POST",
        drills,
        drills,
        operator,
        "{\"kind\":\"provider-outage\",\"zone\":\"spec.test\",\"duration\":\"30s\",\"colour\":1}");
    check(
        "POST",
        drills,
        drills,
        operator,
        "{\"kind\":\"provider-outage\",\"zone\":\"spec.test\",\"duration\":\"30s\",\"force\":true}");
    check("POST", drills, drills, viewer, "{\"kind\":\"leader-failover\"}");
    String preflight = "/api/v1/drills/preflight";
    HttpResponse<String> checked =
        check("POST", preflight, preflight, operator, "{\"kind\":\"leader-failover\"}");
    assertThat(checked.statusCode()).isEqualTo(200);
    assertThat(checked.body()).contains("\"ok\" : false").contains("\"rule\" : \"members\"");
    check("POST", preflight, preflight, operator, "{\"kind\":\"meteor\"}");
    check(
        "POST",
        preflight,
        preflight,
        operator,
        "{\"kind\":\"line-failure\",\"line\":\"nope\",\"duration\":\"10s\"}");
    check("POST", preflight, preflight, viewer, "{\"kind\":\"leader-failover\"}");
    check("POST", preflight, preflight, null, "{\"kind\":\"leader-failover\"}");
    String outage = "{\"kind\":\"provider-outage\",\"zone\":\"spec.test\",\"duration\":\"30s\"}";
    // The zone's pause was lifted above; this node's view may take a moment to show it.
    AtomicReference<HttpResponse<String>> started = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              started.set(check("POST", drills, drills, operator, outage));
              return started.get().statusCode() == 200;
            });
    String id = JSON.readTree(started.get().body()).path("id").asText();
    // Listed once this node's view has the write (the leader may have advanced it meanwhile).
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> check("GET", drills, drills, viewer, null).body().contains(id));
    assertThat(check("POST", drills, drills, operator, outage).body())
        .contains("\"rule\" : \"drill-running\"");
    check("GET", one, drills + "/" + id, viewer, null);
    check("GET", one, drills + "/nope", viewer, null);
    check("POST", abort, drills + "/nope/abort", operator, null);
    check("POST", abort, drills + "/" + id + "/abort", viewer, null);
    assertThat(check("POST", abort, drills + "/" + id + "/abort", operator, null).body())
        .contains("\"abortedBy\" : \"alice\"");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                check("GET", one, drills + "/" + id, viewer, null)
                    .body()
                    .contains("\"verdict\" : \"aborted\""));
    assertThat(check("POST", abort, drills + "/" + id + "/abort", operator, null).statusCode())
        .isEqualTo(409);
  }

  private void notificationCalls() throws Exception {
    String status = "/api/v1/notifications";
    String test = "/api/v1/notifications/receivers/{receiver}/test";
    assertThat(
            check("POST", test, "/api/v1/notifications/receivers/hook/test", operator, null)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            check("POST", test, "/api/v1/notifications/receivers/refusing/test", operator, null)
                .statusCode())
        .isEqualTo(502);
    check("POST", test, "/api/v1/notifications/receivers/nope/test", operator, null);
    check("POST", test, "/api/v1/notifications/receivers/hook/test", viewer, null);
    assertThat(check("GET", status, status, viewer, null).body())
        .contains("\"name\" : \"refusing\"")
        .contains("\"type\" : \"webhook\"");
    check("GET", status, status, null, null);
  }

  @Test
  void ctlAgentResetNeedsTheAdminRoleAndIsAudited() throws Exception {
    Path adminFile = dir.resolve("root.token");
    Path operatorFile = dir.resolve("alice.token");
    Files.writeString(adminFile, admin);
    Files.writeString(operatorFile, operator);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine ctl =
        new CommandLine(new ControllerMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));

    int asOperator =
        ctl.execute(
            "ctl",
            "agent",
            "reset",
            "ci",
            "--endpoint",
            base,
            "--token-file",
            operatorFile.toString());
    int asAdmin =
        ctl.execute(
            "ctl",
            "agent",
            "reset",
            "ci",
            "--reason",
            "router replaced",
            "--endpoint",
            base,
            "--token-file",
            adminFile.toString());

    assertThat(asOperator).isEqualTo(1);
    assertThat(err.toString()).contains("HTTP 403").contains("needs admin");
    assertThat(asAdmin).as(err.toString()).isZero();
    assertThat(out.toString()).contains("\"agent\" : \"ci\"").contains("\"lines\" : [ \"home\" ]");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                node.store().recentAudit(50).stream()
                    .anyMatch(
                        e ->
                            e.type().equals("agent-reset")
                                && e.detail().contains("credential=root")
                                && e.detail().contains("agent=ci line=home")
                                && e.detail().contains("router replaced")));
  }
}
