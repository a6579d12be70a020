package io.haddns.controller.auth;

import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * Who made an admin request: the credential's name (never its secret), role and kind.
 *
 * @param kind {@code token}, {@code jwt} or {@code certificate}
 * @param scope what the credential may set with {@code POST /api/v1/update}
 */
public record Principal(
    String name, OperatorRole role, String kind, Optional<OperatorsConfig.UpdateScope> scope) {
  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(scope, "scope");
  }
}
