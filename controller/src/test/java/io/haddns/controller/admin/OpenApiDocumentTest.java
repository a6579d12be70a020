package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.json: a valid OpenAPI 3.1 document (by swagger-parser), the very file the server
 * serves, describing every route of the admin server's own table (status, the document, whoami) and
 * of the update, operator, agent, drill and notification tables (the whole node's table is checked
 * by OpenApiNodeIT), with schemas that refuse what the server does not send.
 */
class OpenApiDocumentTest {
  private final OpenApiContract contract = OpenApiContract.served();

  private static List<ApiRoute> knownRoutes() {
    ApiHandler unused = r -> CompletableFuture.failedFuture(new IllegalStateException());
    List<ApiRoute> given =
        Stream.concat(
                Stream.of(
                    ApiRoute.of(HttpMethod.POST, UpdateEndpoint.PATH, OperatorRole.VIEWER, unused)),
                Stream.of(
                        new OperatorRoutes(null).routes(),
                        new AgentRoutes(Map.of(), agent -> false).routes(),
                        new DrillRoutes(null).routes(),
                        new NotifyRoutes(null).routes())
                    .flatMap(List::stream))
            .toList();
    return new AdminServer(
            "127.0.0.1",
            0,
            new StatusSource() {
              @Override
              public ClusterStatus status() {
                throw new IllegalStateException("not used");
              }

              @Override
              public boolean ready() {
                return true;
              }
            },
            new PrometheusRegistry(),
            AdminServer.DEFAULT_LIMITS,
            AdminSecurity.open(),
            given)
        .routes();
  }

  @Test
  void isAValidOpenApi31DocumentBySwaggerParser() throws Exception {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed =
        new OpenAPIV3Parser()
            .readContents(Files.readString(Path.of("../docs/openapi.json")), null, options);

    assertThat(parsed.getMessages()).isEmpty();
    assertThat(parsed.getOpenAPI()).isNotNull();
    assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    assertThat(parsed.getOpenAPI().getPaths()).containsKey("/api/v1/status");
  }

  @Test
  void theServedDocumentIsDocsOpenapiJson() throws Exception {
    assertThat(OpenApiDocument.load().json())
        .isEqualTo(OpenApiContract.parse(Files.readString(Path.of("../docs/openapi.json"))));
  }

  @Test
  void describesEveryRouteOfTheAdminAndOperatorTablesAndNoOther() {
    List<ApiRoute> routes = knownRoutes();

    assertThat(contract.undocumented(routes))
        .as("routes the server registers that docs/openapi.json does not describe")
        .isEmpty();
    assertThat(contract.unserved(routes))
        .as("operations docs/openapi.json describes that no route serves")
        .isEmpty();
  }

  @Test
  void namesTheMissingRouteWhenOneIsAdded() {
    List<ApiRoute> routes =
        Stream.concat(
                knownRoutes().stream(),
                Stream.of(
                    ApiRoute.of(
                        HttpMethod.POST,
                        "/api/v1/drills/{id}/extend",
                        OperatorRole.OPERATOR,
                        r -> CompletableFuture.failedFuture(new IllegalStateException()))))
            .toList();

    assertThat(contract.undocumented(routes)).containsExactly("POST /api/v1/drills/{id}/extend");
  }

  @Test
  void everyApiOperationDocumentsItsRoleAndItsErrorsWithTheErrorSchema() {
    contract
        .document()
        .path("paths")
        .fields()
        .forEachRemaining(
            p -> {
              if (!p.getKey().startsWith("/api/")) {
                return;
              }
              p.getValue()
                  .fields()
                  .forEachRemaining(
                      op -> {
                        if (op.getKey().equals("parameters")) {
                          return;
                        }
                        String name = op.getKey() + " " + p.getKey();
                        assertThat(op.getValue().path("x-haddns-role").isTextual())
                            .as(name + " x-haddns-role")
                            .isTrue();
                        assertThat(op.getValue().path("responses").has("401"))
                            .as(name + " documents 401")
                            .isTrue();
                        op.getValue()
                            .path("responses")
                            .fields()
                            .forEachRemaining(
                                r -> {
                                  if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                                    assertThat(
                                            r.getValue()
                                                .at("/content/application~1json/schema/$ref")
                                                .asText())
                                        .as(name + " " + r.getKey())
                                        .isEqualTo("#/components/schemas/Error");
                                  }
                                });
                      });
            });
  }

  @Test
  void schemasAcceptWhatTheServerSendsAndRefuseAnythingElse() {
    String error = "{\"error\":\"no such line: nope\"}";
    String withField = "{\"error\":\"duration must be more than 0\",\"field\":\"duration\"}";
    String stray = "{\"error\":\"x\",\"stack\":\"at Foo.bar\"}";
    String page =
        "{\"events\":[{\"at\":\"2026-01-01T00:00:00Z\",\"node\":\"n1\",\"type\":\"health\","
            + "\"detail\":\"line=a up\"}],\"next\":null}";
    String pageWithoutDetail =
        "{\"events\":[{\"at\":\"2026-01-01T00:00:00Z\",\"node\":\"n1\",\"type\":\"health\"}],"
            + "\"next\":null}";

    String override = "/api/v1/lines/{line}/override";
    assertThat(contract.violations("POST", override, 404, "application/json", error)).isEmpty();
    assertThat(contract.violations("POST", override, 400, "application/json", withField)).isEmpty();
    assertThat(contract.violations("POST", override, 400, "application/json", stray)).isNotEmpty();
    assertThat(contract.violations("GET", "/api/v1/audit", 200, "application/json", page))
        .isEmpty();
    assertThat(
            contract.violations("GET", "/api/v1/audit", 200, "application/json", pageWithoutDetail))
        .isNotEmpty();
    assertThat(contract.violations("GET", "/api/v1/audit", 418, "application/json", page))
        .containsExactly("GET /api/v1/audit: status 418 is not documented");
  }

  @Test
  void drillSchemasAcceptAReportAndAGuardRailRefusalAsTheServerWritesThem() throws Exception {
    Instant t = Instant.parse("2026-12-06T10:00:00.123456Z");
    Drill ended =
        Drill.requested(
                "20261206-100000-n1-1",
                DrillKind.LINE_FAILURE,
                Optional.of("home"),
                Optional.empty(),
                Optional.of(Duration.ofSeconds(30)),
                Duration.ofSeconds(2),
                false,
                "alice",
                t)
            .withEpoch(3)
            .advanced(Drill.Phase.INJECTED, Drill.Step.INJECTED, t.plusMillis(10))
            .stamped(Drill.Step.BACK_VISIBLE, t.plusSeconds(31))
            .withRecords(
                List.of(
                    new Drill.RecordTiming(
                            "www.spec.test A",
                            "spec.test",
                            List.of("192.0.2.7"),
                            Optional.empty(),
                            Optional.empty())
                        .withVisible(t.plusMillis(900))
                        .withBack(t.plusSeconds(31)),
                    new Drill.RecordTiming(
                        "api.spec.test AAAA",
                        "spec.test",
                        List.of("2001:db8::7"),
                        Optional.empty(),
                        Optional.empty())))
            .ended(t.plusSeconds(32));
    String report = new ObjectMapper().writeValueAsString(DrillRoutes.describe(ended));
    String requested =
        new ObjectMapper()
            .writeValueAsString(
                DrillRoutes.describe(
                    Drill.requested(
                        "20261206-100000-n1-2",
                        DrillKind.PROVIDER_OUTAGE,
                        Optional.empty(),
                        Optional.of("spec.test"),
                        Optional.of(Duration.ofSeconds(5)),
                        Duration.ofSeconds(2),
                        true,
                        "root",
                        t)));
    String refused =
        "{\"error\":\"drill refused by its guard rails: x\",\"reasons\":[{\"rule\":\"members\","
            + "\"soft\":false,\"why\":\"a leader drill needs at least 2 live members, there are 1\"}]}";
    String strayReason =
        "{\"error\":\"x\",\"reasons\":[{\"rule\":\"members\",\"soft\":false,\"why\":\"y\","
            + "\"stack\":\"at Foo.bar\"}]}";

    assertThat(report).contains("\"verdict\":\"failed\"").contains("\"back-visible\"");
    assertThat(contract.violations("GET", "/api/v1/drills/{id}", 200, "application/json", report))
        .isEmpty();
    assertThat(contract.violations("POST", "/api/v1/drills", 200, "application/json", requested))
        .isEmpty();
    assertThat(
            contract.violations(
                "GET",
                "/api/v1/drills",
                200,
                "application/json",
                "{\"drills\":[" + report + "," + requested + "]}"))
        .isEmpty();
    assertThat(
            contract.violations(
                "GET",
                "/api/v1/drills/{id}",
                200,
                "application/json",
                report.replace("\"phase\":\"ended\"", "\"phase\":\"over\"")))
        .isNotEmpty();
    assertThat(contract.violations("POST", "/api/v1/drills", 409, "application/json", refused))
        .isEmpty();
    assertThat(contract.violations("POST", "/api/v1/drills", 409, "application/json", strayReason))
        .isNotEmpty();
  }
}
