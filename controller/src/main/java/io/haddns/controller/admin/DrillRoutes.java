package io.haddns.controller.admin;

import io.haddns.controller.config.DurationSyntax;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.operate.Caller;
import io.haddns.controller.operate.DrillApi;
import io.haddns.controller.operate.DrillRequest;
import io.haddns.controller.operate.DrillStart;
import io.haddns.controller.operate.GuardRail;
import io.haddns.controller.operate.Outcome;
import io.haddns.controller.store.Drill;
import io.haddns.controller.store.DrillKind;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The failover drill endpoints (docs/operations.md, "Failover drills"): start a drill, list them,
 * read one (its progress, or its report once ended), abort one. Any node answers; the leader runs
 * the drill. A drill refused by its guard rails is answered 409 with every reason; unknown names
 * 404, bad fields 400 naming the field; {@code force} needs the admin role. A preflight answers the
 * guard rails a drill would run into without starting it.
 */
public final class DrillRoutes {
  private final DrillApi api;

  public DrillRoutes(DrillApi api) {
    this.api = api;
  }

  /** Body of {@code POST /api/v1/drills}. */
  record StartBody(
      String kind, String line, String zone, String duration, String rto, Boolean force) {}

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.of(HttpMethod.POST, "/api/v1/drills", OperatorRole.OPERATOR, this::start),
        ApiRoute.of(
            HttpMethod.POST, "/api/v1/drills/preflight", OperatorRole.OPERATOR, this::preflight),
        ApiRoute.of(HttpMethod.GET, "/api/v1/drills", OperatorRole.VIEWER, this::list),
        ApiRoute.of(HttpMethod.GET, "/api/v1/drills/{id}", OperatorRole.VIEWER, this::show),
        ApiRoute.of(
            HttpMethod.POST, "/api/v1/drills/{id}/abort", OperatorRole.OPERATOR, this::abort));
  }

  private CompletableFuture<ApiResponse> start(ApiRequest request) {
    DrillRequest r = drillRequest(request);
    Caller who = new Caller(request.principal().name(), request.source().getHostAddress());
    return switch (api.start(r, who)) {
      case DrillStart.Started s ->
          CompletableFuture.completedFuture(ApiResponse.ok(describe(s.drill())));
      case DrillStart.Refused refused -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
            "error",
            "drill refused by its guard rails: "
                + refused.reasons().stream().map(GuardRail::why).collect(Collectors.joining("; ")));
        m.put("reasons", refused.reasons().stream().map(DrillRoutes::describe).toList());
        yield CompletableFuture.completedFuture(new ApiResponse(409, m));
      }
      case DrillStart.NotStarted n -> answer(n.why());
    };
  }

  /**
   * {@code POST /api/v1/drills/preflight}: the guard rails a drill would run into now, every one
   * with its reason, without starting it (200 with {@code ok} and {@code reasons}).
   */
  private CompletableFuture<ApiResponse> preflight(ApiRequest request) {
    DrillRequest r = drillRequest(request);
    Outcome<List<GuardRail>> out = api.check(r);
    if (!(out instanceof Outcome.Done<List<GuardRail>> d)) {
      return refused(out);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", d.value().isEmpty());
    m.put("forced", r.force());
    m.put("reasons", d.value().stream().map(DrillRoutes::describe).toList());
    return CompletableFuture.completedFuture(ApiResponse.ok(m));
  }

  /** The drill a start or preflight body asks for; {@code force} only for admins. */
  private static DrillRequest drillRequest(ApiRequest request) {
    StartBody body = request.json(StartBody.class);
    if (body.kind() == null) {
      throw ApiException.badField("kind", "kind is required: " + kinds());
    }
    DrillKind kind =
        DrillKind.parse(body.kind())
            .orElseThrow(() -> ApiException.badField("kind", "kind must be one of " + kinds()));
    boolean force = Boolean.TRUE.equals(body.force());
    if (force && !request.principal().role().allows(OperatorRole.ADMIN)) {
      throw new ApiException(403, "force skips guard rails and needs the admin role");
    }
    return new DrillRequest(
        kind,
        Optional.ofNullable(body.line()),
        Optional.ofNullable(body.zone()),
        duration("duration", body.duration()),
        duration("rto", body.rto()),
        force);
  }

  private CompletableFuture<ApiResponse> list(ApiRequest request) {
    return CompletableFuture.completedFuture(
        ApiResponse.ok(Map.of("drills", api.list().stream().map(DrillRoutes::describe).toList())));
  }

  private CompletableFuture<ApiResponse> show(ApiRequest request) {
    return answer(api.get(request.param("id")));
  }

  private CompletableFuture<ApiResponse> abort(ApiRequest request) {
    Caller who = new Caller(request.principal().name(), request.source().getHostAddress());
    return answer(api.abort(request.param("id"), who));
  }

  private static Optional<Duration> duration(String field, String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(DurationSyntax.parse(text));
    } catch (IllegalArgumentException e) {
      throw ApiException.badField(field, field + " " + e.getMessage());
    }
  }

  private static String kinds() {
    return Arrays.stream(DrillKind.values())
        .map(DrillKind::label)
        .collect(Collectors.joining(", "));
  }

  private static CompletableFuture<ApiResponse> answer(Outcome<Drill> outcome) {
    return outcome instanceof Outcome.Done<Drill> d
        ? CompletableFuture.completedFuture(ApiResponse.ok(describe(d.value())))
        : refused(outcome);
  }

  /** The error answer of an outcome that is not done. */
  private static CompletableFuture<ApiResponse> refused(Outcome<?> outcome) {
    return CompletableFuture.failedFuture(
        switch (outcome) {
          case Outcome.Done<?> d -> new IllegalStateException("done is not refused");
          case Outcome.NotFound<?> n ->
              new ApiException(404, "no such " + n.kind() + ": " + n.name());
          case Outcome.Invalid<?> i -> ApiException.badField(i.field(), i.why());
          case Outcome.Conflict<?> c -> new ApiException(409, c.why());
          case Outcome.Unavailable<?> u ->
              new ApiException(503, "cluster state unavailable: " + u.reason());
        });
  }

  private static Map<String, Object> describe(GuardRail g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", g.rule());
    m.put("soft", g.soft());
    m.put("why", g.why());
    return m;
  }

  /** A drill as the API shows it: request, phase, timeline, per-record RTO, verdict. */
  static Map<String, Object> describe(Drill d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("kind", d.kind().label());
    m.put("line", d.line().orElse(null));
    m.put("zone", d.zone().orElse(null));
    m.put("durationMillis", d.duration().map(Duration::toMillis).orElse(null));
    m.put("rtoObjectiveMillis", d.objective().toMillis());
    m.put("forced", d.forced());
    m.put("by", d.by());
    m.put("phase", d.phase().name().toLowerCase(java.util.Locale.ROOT));
    m.put("abortedBy", d.abortedBy().orElse(null));
    Map<String, String> timeline = new LinkedHashMap<>();
    d.timeline().forEach((k, v) -> timeline.put(k.label(), v.toString()));
    m.put("timeline", timeline);
    Map<String, Duration> rtos = d.recoveryTimes();
    m.put(
        "records",
        d.records().stream()
            .map(
                r -> {
                  Map<String, Object> rm = new LinkedHashMap<>();
                  rm.put("record", r.record());
                  rm.put("zone", r.zone());
                  rm.put("before", r.before());
                  rm.put("visible", r.visible().map(Instant::toString).orElse(null));
                  rm.put(
                      "rtoMillis",
                      Optional.ofNullable(rtos.get(r.record()))
                          .map(Duration::toMillis)
                          .orElse(null));
                  rm.put("back", r.back().map(Instant::toString).orElse(null));
                  return rm;
                })
            .toList());
    m.put("rtoMillis", d.recoveryTime().map(Duration::toMillis).orElse(null));
    m.put("verdict", d.verdict().map(Drill.Verdict::label).orElse(null));
    m.put("notes", d.notes());
    return m;
  }
}
