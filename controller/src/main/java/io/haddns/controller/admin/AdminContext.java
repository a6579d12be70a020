package io.haddns.controller.admin;

import io.haddns.controller.auth.Authenticator;
import io.haddns.controller.gateway.LoginFailures;
import io.haddns.controller.ui.DashboardAssets;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * What every admin connection's handler shares: answers, routes, authentication, workers, the
 * dashboard's files.
 */
record AdminContext(
    StatusSource source,
    PrometheusRegistry registry,
    List<ApiRoute> routes,
    Authenticator authenticator,
    LoginFailures failures,
    OperatorAudit audit,
    boolean metricsRequireToken,
    Executor workers,
    DashboardAssets dashboard) {
  AdminContext {
    routes = List.copyOf(routes);
  }
}
