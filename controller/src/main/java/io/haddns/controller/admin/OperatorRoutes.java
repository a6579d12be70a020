package io.haddns.controller.admin;

import io.haddns.controller.config.DurationSyntax;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.operate.AuditPage;
import io.haddns.controller.operate.AuditQuery;
import io.haddns.controller.operate.Caller;
import io.haddns.controller.operate.OperatorApi;
import io.haddns.controller.operate.Outcome;
import io.haddns.controller.operate.StepDownResult;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineOverride;
import io.haddns.controller.store.ZonePause;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The operator control plane's endpoints (docs/operations.md): line overrides, zone write pauses,
 * leader step-down and the audit reader, each a thin mapping of {@link OperatorApi} to HTTP. Any
 * node answers; the intents they write are carried out by the leader. {@link OperatorApi} audits
 * every change with the caller's credential name and address; refusals are answered 404 (unknown
 * name), 400 (naming the field), 409 (conflict) or 503 (no quorum), and write nothing.
 */
public final class OperatorRoutes {
  /** The media type of the audit export. */
  public static final String NDJSON = "application/x-ndjson";

  private final OperatorApi api;

  public OperatorRoutes(OperatorApi api) {
    this.api = api;
  }

  /** Body of {@code POST /api/v1/lines/{line}/override}. */
  record OverrideBody(String state, String duration, String reason) {}

  /** Body of {@code POST /api/v1/zones/{zone}/pause}. */
  record PauseBody(String reason) {}

  /** Body of {@code POST /api/v1/leader/step-down}; may be empty. */
  record StepDownBody(String to) {}

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.of(
            HttpMethod.POST,
            "/api/v1/lines/{line}/override",
            OperatorRole.OPERATOR,
            this::override),
        ApiRoute.of(
            HttpMethod.DELETE, "/api/v1/lines/{line}/override", OperatorRole.OPERATOR, this::clear),
        ApiRoute.of(
            HttpMethod.POST, "/api/v1/zones/{zone}/pause", OperatorRole.OPERATOR, this::pause),
        ApiRoute.of(
            HttpMethod.DELETE, "/api/v1/zones/{zone}/pause", OperatorRole.OPERATOR, this::resume),
        ApiRoute.of(
            HttpMethod.POST, "/api/v1/leader/step-down", OperatorRole.OPERATOR, this::stepDown),
        ApiRoute.of(HttpMethod.GET, "/api/v1/audit", OperatorRole.VIEWER, this::audit));
  }

  private CompletableFuture<ApiResponse> override(ApiRequest request) {
    OverrideBody body = request.json(OverrideBody.class);
    if (body.state() == null) {
      throw ApiException.badField("state", "state is required: down or up");
    }
    Duration duration = null;
    if (body.duration() != null) {
      try {
        duration = DurationSyntax.parse(body.duration());
      } catch (IllegalArgumentException e) {
        throw ApiException.badField("duration", "duration " + e.getMessage());
      }
    }
    String reason = body.reason() == null ? "" : body.reason();
    String line = request.param("line");
    Outcome<LineOverride> done =
        switch (body.state()) {
          case "down" -> api.drain(line, duration, reason, caller(request));
          case "up" -> api.forceUp(line, duration, reason, caller(request));
          default -> throw ApiException.badField("state", "state must be down or up");
        };
    return answer(done, OperatorRoutes::describe);
  }

  private CompletableFuture<ApiResponse> clear(ApiRequest request) {
    return answer(
        api.clear(request.param("line"), caller(request)), cleared -> Map.of("cleared", cleared));
  }

  private CompletableFuture<ApiResponse> pause(ApiRequest request) {
    PauseBody body = request.body().length == 0 ? new PauseBody("") : request.json(PauseBody.class);
    String reason = body.reason() == null ? "" : body.reason();
    return answer(
        api.pause(request.param("zone"), reason, caller(request)), OperatorRoutes::describe);
  }

  private CompletableFuture<ApiResponse> resume(ApiRequest request) {
    return answer(
        api.resume(request.param("zone"), caller(request)), resumed -> Map.of("resumed", resumed));
  }

  private CompletableFuture<ApiResponse> stepDown(ApiRequest request) {
    StepDownBody body =
        request.body().length == 0 ? new StepDownBody(null) : request.json(StepDownBody.class);
    return answer(
        api.stepDown(Optional.ofNullable(body.to()), caller(request)), OperatorRoutes::describe);
  }

  private CompletableFuture<ApiResponse> audit(ApiRequest request) {
    Map<String, String> q = request.query();
    int limit = AuditQuery.DEFAULT_LIMIT;
    if (q.containsKey("limit")) {
      try {
        limit = Integer.parseInt(q.get("limit"));
      } catch (NumberFormatException e) {
        throw ApiException.badField("limit", "limit must be a whole number");
      }
      if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
        throw ApiException.badField("limit", "limit must be 1.." + AuditQuery.MAX_LIMIT);
      }
    }
    String format = q.getOrDefault("format", "");
    if (!format.isEmpty() && !format.equals("json") && !format.equals("ndjson")) {
      throw ApiException.badField("format", "format must be json or ndjson");
    }
    AuditQuery query =
        new AuditQuery(
            instant(q, "since"),
            instant(q, "until"),
            Optional.ofNullable(q.get("kind")),
            Optional.ofNullable(q.get("line")),
            Optional.ofNullable(q.get("zone")),
            limit,
            Optional.ofNullable(q.get("cursor")));
    if (format.equals("ndjson") || (format.isEmpty() && request.accepts(NDJSON))) {
      return export(query);
    }
    return answer(api.audit(query), OperatorRoutes::describe);
  }

  /** Every matching event, one JSON object a line, newest first (limit and cursor ignored). */
  private CompletableFuture<ApiResponse> export(AuditQuery query) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Outcome<Integer> done;
    try {
      done = api.exportAudit(query, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return answer(done, n -> n).thenApply(n -> ApiResponse.bytes(out.toByteArray(), NDJSON));
  }

  private static Optional<Instant> instant(Map<String, String> query, String field) {
    String text = query.get(field);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw ApiException.badField(
          field, field + " must be an RFC 3339 UTC time, e.g. 2026-01-02T03:04:05Z");
    }
  }

  private static Caller caller(ApiRequest request) {
    return new Caller(request.principal().name(), request.source().getHostAddress());
  }

  private static <T> CompletableFuture<ApiResponse> answer(
      Outcome<T> outcome, Function<T, Object> body) {
    return switch (outcome) {
      case Outcome.Done<T> d ->
          CompletableFuture.completedFuture(ApiResponse.ok(body.apply(d.value())));
      case Outcome.NotFound<T> n ->
          CompletableFuture.failedFuture(
              new ApiException(404, "no such " + n.kind() + ": " + ApiRequest.printable(n.name())));
      case Outcome.Invalid<T> i ->
          CompletableFuture.failedFuture(ApiException.badField(i.field(), i.why()));
      case Outcome.Conflict<T> c -> CompletableFuture.failedFuture(new ApiException(409, c.why()));
      case Outcome.Unavailable<T> u ->
          CompletableFuture.failedFuture(
              new ApiException(503, "cluster state unavailable: " + u.reason()));
    };
  }

  private static Map<String, Object> describe(LineOverride o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("line", o.line());
    m.put("state", o.forced().label());
    m.put("reason", o.reason());
    m.put("by", o.by());
    m.put("at", o.at().toString());
    m.put("until", o.until().map(Instant::toString).orElse(null));
    return m;
  }

  private static Map<String, Object> describe(ZonePause p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zone", p.zone());
    m.put("reason", p.reason());
    m.put("by", p.by());
    m.put("at", p.at().toString());
    return m;
  }

  private static Map<String, Object> describe(StepDownResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("previousLeader", r.previousLeader());
    m.put("newLeader", r.newLeader());
    m.put("epoch", r.epoch());
    m.put("handOverMillis", r.handOver().toMillis());
    return m;
  }

  private static Map<String, Object> describe(AuditPage page) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", page.events().stream().map(OperatorRoutes::describe).toList());
    m.put("next", page.next().orElse(null));
    return m;
  }

  private static Map<String, Object> describe(AuditEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", e.at().toString());
    m.put("node", e.node());
    m.put("type", e.type());
    m.put("detail", e.detail());
    return m;
  }
}
