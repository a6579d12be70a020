package io.haddns.controller.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks of the admin API against its OpenAPI document (docs/openapi.json): which routes the
 * document lacks or has in excess, and whether an answer fits the schema the document gives for its
 * route, status and content type. Schemas are JSON Schema 2020-12 (OpenAPI 3.1), validated with
 * their {@code $ref}s resolved inside the document.
 */
public final class OpenApiContract {
  /** Paths the admin port serves outside the API route table. */
  public static final Set<String> PROBE_PATHS = Set.of("/healthz", "/readyz", "/metrics");

  private static final String IRI = "https://haddns.invalid/openapi.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode document;
  private final SchemaRegistry registry;

  public OpenApiContract(JsonNode document) {
    this.document = document;
    this.registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, b -> b.schemas(Map.of(IRI, document.toString())));
  }

  /** The document the server serves (docs/openapi.json, from the class path). */
  public static OpenApiContract served() {
    return new OpenApiContract(OpenApiDocument.load().json());
  }

  /** {@code METHOD /path/template} of each operation the document describes. */
  public Set<String> operations() {
    Set<String> out = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      p.getValue()
          .fieldNames()
          .forEachRemaining(
              m -> {
                if (!m.equals("parameters")) {
                  out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
                }
              });
    }
    return out;
  }

  /** {@code METHOD /path/template} of each route. */
  public static Set<String> operations(List<ApiRoute> routes) {
    Set<String> out = new TreeSet<>();
    routes.forEach(r -> out.add(r.method().name() + " " + r.template()));
    return out;
  }

  /** Routes served but not described: each names exactly what the document must gain. */
  public List<String> undocumented(List<ApiRoute> routes) {
    Set<String> missing = operations(routes);
    missing.removeAll(operations());
    return List.copyOf(missing);
  }

  /** Operations described but not served (besides health, readiness and metrics). */
  public List<String> unserved(List<ApiRoute> routes) {
    Set<String> extra = operations();
    extra.removeAll(operations(routes));
    extra.removeIf(op -> PROBE_PATHS.contains(op.substring(op.indexOf(' ') + 1)));
    return List.copyOf(extra);
  }

  /**
   * What is wrong with an answer of {@code method template} with {@code status}: its status or
   * content type undocumented, or its body outside the schema. Empty when it fits.
   */
  public List<String> violations(
      String method, String template, int status, String contentType, String body) {
    String op = method.toUpperCase(Locale.ROOT) + " " + template;
    JsonNode operation =
        document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
    if (operation.isMissingNode()) {
      return List.of(op + ": not in the document");
    }
    JsonNode response = operation.path("responses").path(Integer.toString(status));
    if (response.isMissingNode()) {
      return List.of(op + ": status " + status + " is not documented");
    }
    String type = contentType.split(";")[0].strip();
    if (response.path("content").path(type).isMissingNode()) {
      return List.of(op + " " + status + ": content type " + type + " is not documented");
    }
    String pointer =
        "#/paths/"
            + escape(template)
            + "/"
            + method.toLowerCase(Locale.ROOT)
            + "/responses/"
            + status
            + "/content/"
            + escape(type)
            + "/schema";
    Schema schema = registry.getSchema(SchemaLocation.of(IRI + pointer));
    List<String> out = new ArrayList<>();
    List<String> bodies =
        type.equals("application/x-ndjson") ? body.lines().toList() : List.of(body);
    for (String b : bodies) {
      for (Error e : schema.validate(b, InputFormat.JSON)) {
        out.add(op + " " + status + ": " + e);
      }
    }
    return out;
  }

  /** The document as a tree. */
  public JsonNode document() {
    return document;
  }

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
  }
}
