package io.haddns.controller.admin;

import io.haddns.controller.config.OperatorRole;
import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A row of the admin API's route table: method, path template, the role a caller needs, handler. A
 * template is literal segments and {@code {name}} parameters, each matching one non-empty path
 * segment: {@code /api/v1/lines/{line}/override}. Adding an endpoint is one line:
 *
 * <pre>{@code
 * ApiRoute.of(HttpMethod.POST, "/api/v1/lines/{line}/override", OperatorRole.OPERATOR, api::override)
 * }</pre>
 *
 * Every method but GET and HEAD counts as a mutation: it always needs a credential, and its handler
 * should audit it with {@link OperatorAudit#mutation}.
 */
public record ApiRoute(HttpMethod method, String template, OperatorRole role, ApiHandler handler) {
  public ApiRoute {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(handler, "handler");
    if (!template.startsWith("/api/")) {
      throw new IllegalArgumentException("admin API routes live under /api/: " + template);
    }
  }

  public static ApiRoute of(
      HttpMethod method, String template, OperatorRole role, ApiHandler handler) {
    return new ApiRoute(method, template, role, handler);
  }

  /** Whether calls of this route change anything (every method but GET and HEAD). */
  public boolean mutating() {
    return !method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD);
  }

  /** The path parameters when {@code path} fits the template. */
  Optional<Map<String, String>> match(String path) {
    List<String> want = List.of(template.substring(1).split("/", -1));
    List<String> got = List.of(path.substring(1).split("/", -1));
    if (!path.startsWith("/") || want.size() != got.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < want.size(); i++) {
      String w = want.get(i);
      String g = got.get(i);
      if (w.startsWith("{") && w.endsWith("}")) {
        if (g.isEmpty()) {
          return Optional.empty();
        }
        params.put(w.substring(1, w.length() - 1), g);
      } else if (!w.equals(g)) {
        return Optional.empty();
      }
    }
    return Optional.of(Map.copyOf(params));
  }
}
