package io.haddns.controller.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.haddns.controller.auth.AuthOutcome;
import io.haddns.controller.auth.Principal;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.netty.SourceKey;
import io.haddns.controller.ui.CrossSiteRequests;
import io.haddns.controller.ui.DashboardAssets;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves {@code /healthz}, {@code /readyz}, {@code /metrics} and the admin API under {@code /api/}
 * through a route table ({@link ApiRoute}).
 *
 * <p><b>Access.</b> Health, readiness and (unless {@code operators.metricsRequireToken}) metrics
 * need no credential. Under {@code /api/}: once any operator credential is configured every call
 * needs one (401 without); mutating calls (every method but GET and HEAD) need one always, and
 * without any configured they are answered 403 saying how to create one. A credential's role must
 * include the route's (403 otherwise). A refused credential is answered 401 with the reason (never
 * the presented value), counted against the source and audited; a source with too many failures in
 * the current minute is answered 429 without a check.
 *
 * <p>The web dashboard's files are served under {@code /ui/} without a token (they hold no data); a
 * mutation a browser sends for another site is refused 403 before its credential is looked at
 * ({@link CrossSiteRequests}).
 *
 * <p><b>Order.</b> API handlers run on worker threads; the connection answers its requests in
 * order, holding requests pipelined behind an unanswered one (at most {@value #MAX_WAITING}; past
 * that the connection is answered 503 and closed).
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
  static final int MAX_WAITING = 16;

  /** The answer's header naming the request's id (as the {@code request} field of the logs). */
  static final String REQUEST_ID = "X-Request-Id";

  /** What a mutation is answered when no operator credential is configured. */
  static String howToCreate(String cluster) {
    return "no operator credentials are configured, so nothing may be changed: create a token with"
        + " 'haddns ctl token create --cluster "
        + (cluster.isEmpty() ? "CLUSTER" : cluster)
        + " --name NAME --role operator', put the line it prints under operators.tokens in the"
        + " configuration and restart the nodes";
  }

  private static final Principal ANONYMOUS =
      new Principal("anonymous", OperatorRole.VIEWER, "none", Optional.empty());

  private final AdminContext shared;
  private final PrometheusTextFormatWriter metricsWriter = PrometheusTextFormatWriter.create();

  /** For scrapers whose {@code Accept} asks for OpenMetrics: with {@code _created} series. */
  private final OpenMetricsTextFormatWriter openMetricsWriter =
      OpenMetricsTextFormatWriter.builder().setCreatedTimestampsEnabled(true).build();

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Requests read while an earlier one is still being answered; confined to the event loop. */
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();

  private boolean busy;
  private boolean closing;

  /** Requests served on this connection, for their ids; confined to the event loop. */
  private long requests;

  /** The id of the request being answered, sent back as {@code X-Request-Id}; event loop. */
  private String answering;

  AdminHandler(AdminContext shared) {
    this.shared = shared;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (closing) {
      return;
    }
    if (busy) {
      if (waiting.size() >= MAX_WAITING) {
        closing = true;
        // Not the answer to the request in flight: without its id.
        String inFlight = answering;
        answering = null;
        write(
            ctx,
            text(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many pipelined requests\n"),
            false);
        answering = inFlight;
        return;
      }
      waiting.addLast(req.retain());
      return;
    }
    serve(ctx, req);
  }

  /**
   * Serves one request with its id in the MDC (the {@code request} field of JSON logs, as the
   * gateway's; docs/operations.md, "Logs") and in the answer's {@code X-Request-Id} header.
   */
  @SuppressWarnings("try") // the try-with-resources resource is an MDC scope, never read
  private void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
    answering = ctx.channel().id().asShortText() + "-" + (++requests);
    try (var request = MDC.putCloseable("request", answering)) {
      dispatch(ctx, req);
    }
  }

  private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.decoderResult().isFailure()) {
      // The decoder hands on what it could not parse with a made-up path; never route it.
      closing = true;
      FullHttpResponse res =
          text(
              HttpResponseStatus.BAD_REQUEST,
              "bad request: " + DecodeFailures.describe(req.decoderResult().cause()) + "\n");
      write(ctx, res, false);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path;
    Map<String, String> query = new HashMap<>();
    try {
      path = uri.path();
      uri.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
    } catch (IllegalArgumentException e) {
      closing = true;
      write(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request: malformed path\n"), false);
      return;
    }
    boolean read = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
    switch (path) {
      case "/healthz", "/readyz", "/metrics" -> {
        if (!read) {
          FullHttpResponse res =
              text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is supported\n");
          res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
          write(ctx, res, keepAlive);
        } else if (path.equals("/healthz")) {
          write(ctx, text(HttpResponseStatus.OK, "ok\n"), keepAlive);
        } else if (path.equals("/readyz")) {
          write(
              ctx,
              shared.source().ready()
                  ? text(HttpResponseStatus.OK, "ready\n")
                  : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready\n"),
              keepAlive);
        } else if (shared.metricsRequireToken()) {
          Access access = authorize(ctx, req, path, OperatorRole.VIEWER, false);
          write(ctx, access instanceof Access.Denied d ? d.response() : metrics(req), keepAlive);
        } else {
          write(ctx, metrics(req), keepAlive);
        }
      }
      default -> {
        if (path.startsWith("/api/")) {
          api(ctx, req, path, query, keepAlive);
        } else if (DashboardAssets.handles(path)) {
          write(ctx, dashboard(path, read), keepAlive);
        } else {
          write(
              ctx,
              text(
                  HttpResponseStatus.NOT_FOUND,
                  "no such endpoint: " + DecodeFailures.printable(path) + "\n"),
              keepAlive);
        }
      }
    }
  }

  @SuppressWarnings("try") // the try-with-resources resources are MDC scopes, never read
  private void api(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      String path,
      Map<String, String> query,
      boolean keepAlive) {
    ApiRoute route = null;
    Map<String, String> params = Map.of();
    List<String> allowed = new java.util.ArrayList<>();
    for (ApiRoute r : shared.routes()) {
      Optional<Map<String, String>> m = r.match(path);
      if (m.isEmpty()) {
        continue;
      }
      if (r.method().equals(req.method())) {
        route = r;
        params = m.get();
        break;
      }
      allowed.add(r.method().name());
    }
    if (route == null) {
      FullHttpResponse res;
      if (allowed.isEmpty()) {
        res =
            error(
                HttpResponseStatus.NOT_FOUND,
                "no such endpoint: " + DecodeFailures.printable(path),
                Optional.empty());
      } else {
        String allow = String.join(", ", allowed);
        res = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allow, Optional.empty());
        res.headers().set(HttpHeaderNames.ALLOW, allow);
      }
      write(ctx, res, keepAlive);
      return;
    }
    Optional<String> crossSite =
        route.mutating()
            ? CrossSiteRequests.refusal(
                Optional.ofNullable(req.headers().get(HttpHeaderNames.HOST)),
                Optional.ofNullable(req.headers().get(HttpHeaderNames.ORIGIN)),
                Optional.ofNullable(req.headers().get("Sec-Fetch-Site")))
            : Optional.empty();
    if (crossSite.isPresent()) {
      write(ctx, error(HttpResponseStatus.FORBIDDEN, crossSite.get(), Optional.empty()), keepAlive);
      return;
    }
    Access access = authorize(ctx, req, path, route.role(), route.mutating());
    if (access instanceof Access.Denied d) {
      write(ctx, d.response(), keepAlive);
      return;
    }
    Principal principal = ((Access.Granted) access).principal();
    ApiRequest request =
        new ApiRequest(
            req.method(),
            path,
            params,
            query,
            ByteBufUtil.getBytes(req.content()),
            Optional.ofNullable(req.headers().get(HttpHeaderNames.CONTENT_TYPE)),
            principal,
            source(ctx),
            shared.audit(),
            Optional.ofNullable(req.headers().get(HttpHeaderNames.ACCEPT)));
    ApiRoute chosen = route;
    String id = answering;
    busy = true;
    try {
      shared
          .workers()
          .execute(
              () -> {
                CompletableFuture<ApiResponse> answer;
                try (var requestField = MDC.putCloseable("request", id)) {
                  answer = chosen.handler().handle(request);
                } catch (Throwable e) {
                  answer = CompletableFuture.failedFuture(e);
                }
                answer.whenComplete(
                    (r, e) -> {
                      FullHttpResponse res;
                      try (var requestField = MDC.putCloseable("request", id)) {
                        res = e == null ? json(r) : failure(chosen, path, e);
                        answered(chosen, principal, res);
                      }
                      ctx.executor().execute(() -> write(ctx, res, keepAlive));
                    });
              });
    } catch (RejectedExecutionException e) {
      log.warn("admin workers saturated: answering busy to {}", ctx.channel().remoteAddress());
      write(
          ctx,
          error(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy, retry", Optional.empty()),
          keepAlive);
    }
  }

  /** The API call's log line: at INFO for a change, at DEBUG for a read. */
  private static void answered(ApiRoute route, Principal principal, FullHttpResponse res) {
    String format = "admin {} {} by {} answered {}";
    Object[] args = {route.method(), route.template(), principal.name(), res.status().code()};
    if (route.mutating()) {
      log.info(format, args);
    } else {
      log.debug(format, args);
    }
  }

  /** The outcome of the access check: who calls, or the answer that refuses the call. */
  private sealed interface Access {
    record Granted(Principal principal) implements Access {}

    record Denied(FullHttpResponse response) implements Access {}
  }

  private Access authorize(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      String path,
      OperatorRole required,
      boolean mutating) {
    InetAddress source = source(ctx);
    String sourceKey = "source " + SourceKey.of(source);
    Optional<String> authorization =
        Optional.ofNullable(req.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (authorization.isPresent() && shared.failures().overLimit(sourceKey)) {
      FullHttpResponse res =
          error(
              HttpResponseStatus.TOO_MANY_REQUESTS,
              "too many failed authentications from this source; retry in a minute",
              Optional.empty());
      res.headers().set(HttpHeaderNames.RETRY_AFTER, "60");
      return new Access.Denied(res);
    }
    AuthOutcome outcome = shared.authenticator().authenticate(authorization, peerCertificate(ctx));
    Principal principal;
    switch (outcome) {
      case AuthOutcome.Refused r -> {
        shared.failures().failed(sourceKey);
        shared.audit().authFailed(source, path, r.name(), r.reason());
        log.debug(
            "admin authentication refused source={} path={} reason={}",
            SourceKey.of(source),
            DecodeFailures.printable(path),
            r.reason());
        FullHttpResponse res =
            error(
                HttpResponseStatus.UNAUTHORIZED,
                "authentication failed: " + r.reason(),
                Optional.empty());
        res.headers()
            .set(
                HttpHeaderNames.WWW_AUTHENTICATE,
                "Bearer realm=\"haddns\", error=\"invalid_token\"");
        return new Access.Denied(res);
      }
      case AuthOutcome.Anonymous a -> {
        if (!shared.authenticator().enforcing() && mutating) {
          return new Access.Denied(
              error(
                  HttpResponseStatus.FORBIDDEN,
                  howToCreate(shared.authenticator().cluster()),
                  Optional.empty()));
        }
        if (shared.authenticator().enforcing()) {
          FullHttpResponse res =
              error(
                  HttpResponseStatus.UNAUTHORIZED,
                  "authentication required: send 'Authorization: Bearer <token>'",
                  Optional.empty());
          res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"haddns\"");
          return new Access.Denied(res);
        }
        principal = ANONYMOUS;
      }
      case AuthOutcome.Authenticated a -> principal = a.principal();
    }
    if (!principal.role().allows(required)) {
      return new Access.Denied(
          error(
              HttpResponseStatus.FORBIDDEN,
              "credential '"
                  + principal.name()
                  + "' has role "
                  + principal.role().label()
                  + "; this call needs "
                  + required.label(),
              Optional.empty()));
    }
    return new Access.Granted(principal);
  }

  private static Optional<X509Certificate> peerCertificate(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? Optional.of(x)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  private FullHttpResponse failure(ApiRoute route, String path, Throwable error) {
    Throwable e =
        error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
    if (e instanceof ApiException api) {
      return error(HttpResponseStatus.valueOf(api.status()), api.getMessage(), api.field());
    }
    log.error(
        "admin route={} {} path={} failed, answered 500",
        route.method(),
        route.template(),
        DecodeFailures.printable(path),
        e);
    return error(
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        "internal error; the node's log has the cause",
        Optional.empty());
  }

  private FullHttpResponse json(ApiResponse r) {
    if (r.contentType() != null) {
      return response(HttpResponseStatus.valueOf(r.status()), (byte[]) r.body(), r.contentType());
    }
    try {
      return response(
          HttpResponseStatus.valueOf(r.status()),
          json.writeValueAsBytes(r.body()),
          HttpHeaderValues.APPLICATION_JSON.toString());
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("admin answer not serialisable: {}", e.toString());
      return error(
          HttpResponseStatus.INTERNAL_SERVER_ERROR, "answer unavailable", Optional.empty());
    }
  }

  private FullHttpResponse error(
      HttpResponseStatus status, String message, Optional<String> field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    field.ifPresent(f -> body.put("field", f));
    return json(new ApiResponse(status.code(), body));
  }

  /** The dashboard's files (docs/dashboard.md): no token, GET only, strict security headers. */
  private FullHttpResponse dashboard(String path, boolean read) {
    FullHttpResponse res;
    if (!read) {
      res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is supported\n");
      res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    } else {
      res =
          switch (shared.dashboard().answer(path, shared.authenticator().enforcing())) {
            case DashboardAssets.Answer.Found f ->
                response(HttpResponseStatus.OK, f.body(), f.contentType());
            case DashboardAssets.Answer.Redirect r -> {
              FullHttpResponse moved = text(HttpResponseStatus.FOUND, "see " + r.location() + "\n");
              moved.headers().set(HttpHeaderNames.LOCATION, r.location());
              yield moved;
            }
            case DashboardAssets.Answer.NotFound n ->
                text(
                    HttpResponseStatus.NOT_FOUND,
                    "no such file: " + DecodeFailures.printable(path) + "\n");
          };
    }
    DashboardAssets.securityHeaders(shared.source().memberAddresses())
        .forEach((k, v) -> res.headers().set(k, v));
    return res;
  }

  /**
   * The scrape in the format the request's {@code Accept} prefers: OpenMetrics 1.0 when asked for
   * (as Prometheus does by default), else the Prometheus text format 0.0.4.
   */
  private FullHttpResponse metrics(FullHttpRequest req) {
    String accept = req.headers().get(HttpHeaderNames.ACCEPT);
    ExpositionFormatWriter writer =
        openMetricsWriter.accepts(accept) ? openMetricsWriter : metricsWriter;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
      writer.write(out, shared.registry().scrape());
      return response(HttpResponseStatus.OK, out.toByteArray(), writer.getContentType());
    } catch (IOException | RuntimeException e) {
      log.warn("admin metrics scrape failed: {}", e.toString());
      return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics unavailable\n");
    }
  }

  /** Writes an answer, then serves the next waiting request. On the event loop. */
  private void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
    HttpUtil.setKeepAlive(res, keepAlive);
    if (answering != null) {
      res.headers().set(REQUEST_ID, answering);
      answering = null;
    }
    var f = ctx.writeAndFlush(res);
    busy = false;
    if (!keepAlive) {
      closing = true;
      f.addListener(ChannelFutureListener.CLOSE);
      releaseWaiting();
      return;
    }
    while (!busy && !closing && !waiting.isEmpty()) {
      FullHttpRequest next = waiting.pollFirst();
      try {
        serve(ctx, next);
      } finally {
        next.release();
      }
    }
  }

  private void releaseWaiting() {
    waiting.forEach(FullHttpRequest::release);
    waiting.clear();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    releaseWaiting();
    super.channelInactive(ctx);
  }

  private static InetAddress source(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress()
        : InetAddress.getLoopbackAddress();
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    return response(status, body.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  private static FullHttpResponse response(
      HttpResponseStatus status, byte[] body, String contentType) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    res.headers().set("x-content-type-options", "nosniff");
    return res;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "admin connection={} closed after error: {}",
        ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
