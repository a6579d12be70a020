package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.OperatorRole;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.json: a valid OpenAPI 3.1 document (by swagger-parser), the very file the server
 * serves, describing every route the admin server's own and operator route tables have (the whole
 * node's table, with routes added since, is checked by OpenApiNodeIT), with schemas that refuse
 * what the server does not send.
 */
class OpenApiDocumentTest {
  private final OpenApiContract contract = OpenApiContract.served();

  private static List<ApiRoute> knownRoutes() {
    ApiHandler unused = r -> CompletableFuture.failedFuture(new IllegalStateException());
    List<ApiRoute> given =
        Stream.concat(
                Stream.of(
                    ApiRoute.of(HttpMethod.POST, UpdateEndpoint.PATH, OperatorRole.VIEWER, unused)),
                Stream.concat(
                    new OperatorRoutes(null).routes().stream(),
                    new AgentRoutes(Map.of(), agent -> false).routes().stream()))
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
                        "/api/v1/drills",
                        OperatorRole.OPERATOR,
                        r -> CompletableFuture.failedFuture(new IllegalStateException()))))
            .toList();

    assertThat(contract.undocumented(routes)).containsExactly("POST /api/v1/drills");
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
}
