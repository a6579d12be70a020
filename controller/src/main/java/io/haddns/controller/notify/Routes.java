package io.haddns.controller.notify;

import io.haddns.controller.config.RouteConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which receivers a notification goes to, and how each groups it (the first matching route's). */
public final class Routes {
  private final List<RouteConfig> routes;

  public Routes(List<RouteConfig> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Receivers of {@code n} with their group interval, in route order; empty: sent nowhere. */
  public Map<String, Duration> receivers(Notification n) {
    if (n.kind() == EventKind.TEST) {
      return Map.of();
    }
    Map<String, Duration> out = new LinkedHashMap<>();
    for (RouteConfig r : routes) {
      if (r.matches(n.kind(), n.severity())) {
        r.receivers().forEach(name -> out.putIfAbsent(name, r.groupInterval()));
      }
    }
    return out;
  }

  /** Whether any route takes a notification of this kind and severity. */
  public boolean routed(EventKind kind, Severity severity) {
    return routes.stream().anyMatch(r -> r.matches(kind, severity));
  }
}
