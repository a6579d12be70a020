package io.haddns.controller.ui;

import io.haddns.controller.admin.ApiResponse;
import io.haddns.controller.admin.ApiRoute;
import io.haddns.controller.config.OperatorRole;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/v1/whoami}: the caller's credential name, role and kind (never the credential),
 * so that the dashboard shows only the controls the role may use. The API refuses the others
 * anyway.
 */
public final class SessionRoutes {
  public static final String WHOAMI = "/api/v1/whoami";

  private SessionRoutes() {}

  public static List<ApiRoute> routes() {
    return List.of(
        ApiRoute.of(
            HttpMethod.GET,
            WHOAMI,
            OperatorRole.VIEWER,
            r -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("name", r.principal().name());
              body.put("role", r.principal().role().label());
              body.put("kind", r.principal().kind());
              return CompletableFuture.completedFuture(ApiResponse.ok(body));
            }));
  }
}
