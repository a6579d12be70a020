package io.haddns.controller.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * The admin API's OpenAPI 3.1 document, served at {@value #PATH}. Its one source is {@code
 * docs/openapi.json}, which the build copies onto the class path beside this class; a route added
 * to the server must be described there (OpenApiDocumentTest and OpenApiNodeIT check it).
 */
public final class OpenApiDocument {
  public static final String PATH = "/api/v1/openapi.json";

  /** Where the build puts docs/openapi.json on the class path. */
  public static final String RESOURCE = "/io/haddns/controller/admin/openapi.json";

  private final JsonNode document;

  private OpenApiDocument(JsonNode document) {
    this.document = document;
  }

  /** Reads the document from the class path; fails if the build left it out. */
  public static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return new OpenApiDocument(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public JsonNode json() {
    return document;
  }

  /** The handler of {@code GET} {@value #PATH}. */
  CompletableFuture<ApiResponse> serve(ApiRequest request) {
    return CompletableFuture.completedFuture(ApiResponse.ok(document));
  }
}
