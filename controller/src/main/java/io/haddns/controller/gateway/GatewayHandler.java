package io.haddns.controller.gateway;

import io.haddns.controller.gateway.GatewayObserver.Endpoint;
import io.haddns.controller.net.IpLiteral;
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
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Routes gateway requests through a small table: {@code POST /api/v1/report} to {@link
 * AgentReports}, {@code GET /nic/update} and {@code /v3/update} to {@link Dyndns2Updates}. The
 * per-source rate limit is checked here, on the event loop; the blocking work runs on {@code
 * agentWorkers} or, for dyndns2 (bcrypt), on the separate {@code dyndns2Workers}, so that a flood
 * of logins cannot starve agents. Every refusal made here is audited through {@link RefusalAudit}.
 *
 * <p><b>Order.</b> Answers are written strictly in the order of the requests (RFC 9112 §9.3.2),
 * also when a client pipelines a slow request (a bcrypt login, a ZooKeeper commit) before fast
 * ones: each request takes the next place in a per-connection queue, and an answer that is ready
 * waits there until every earlier one is written. An answer that closes the connection ({@code
 * Connection: close}, a request that did not decode, a body too large) is written after all earlier
 * ones, and nothing read after that request is served. At most {@value #MAX_PIPELINED} answers wait
 * per connection; the request past that is answered 503 and the connection closed after it. The
 * connection reads nothing more while an answer waits.
 */
final class GatewayHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
  static final String REPORT_PATH = "/api/v1/report";

  /** The route table's paths: which endpoint serves each. */
  static final Map<String, Endpoint> ENDPOINTS =
      Map.of(
          REPORT_PATH,
          Endpoint.AGENT_REPORT,
          "/nic/update",
          Endpoint.DYNDNS2,
          "/v3/update",
          Endpoint.DYNDNS2);

  /** Answers that may wait on one connection (pipelined requests not yet answered). */
  static final int MAX_PIPELINED = 32;

  private final Map<Endpoint, Route> routes;
  private final RateLimits perSource;
  private final GatewayObserver observer;
  private final RefusalAudit refusals;

  /** This connection's answers, in request order; confined to the event loop. */
  private final ArrayDeque<Place> places = new ArrayDeque<>();

  /** A request asked to close (or could not be read): what follows it is not served. */
  private boolean closing;

  /**
   * Requests this connection handed to workers so far (the request id's suffix); event loop only.
   */
  private long requests;

  private boolean inactive;

  /** What a refusal made here is answered, per endpoint. */
  private enum Refusal {
    RATE_LIMITED,
    BUSY,
    FAILED
  }

  /** A response and the bounded outcome the observer counts. */
  private record Answer(String outcome, FullHttpResponse response) {}

  /** The work of one request, prepared on the event loop and run on a worker. */
  @FunctionalInterface
  private interface Work {
    Supplier<CompletableFuture<Answer>> prepare(
        ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, InetAddress source);
  }

  private record Route(
      Endpoint endpoint,
      HttpMethod method,
      Executor workers,
      Function<Refusal, Answer> refusal,
      Work work) {}

  /** One answer's place in the connection's queue; {@code response} is null until it is ready. */
  private static final class Place {
    FullHttpResponse response;
    boolean keepAlive;
  }

  GatewayHandler(
      AgentReports reports,
      Dyndns2Updates dyndns2,
      RateLimits perSource,
      Executor agentWorkers,
      Executor dyndns2Workers,
      GatewayObserver observer,
      RefusalAudit refusals) {
    this.perSource = perSource;
    this.observer = observer;
    this.refusals = refusals;
    Route report =
        new Route(
            Endpoint.AGENT_REPORT,
            HttpMethod.POST,
            agentWorkers,
            GatewayHandler::reportRefusal,
            (ctx, req, uri, source) -> {
              byte[] body = ByteBufUtil.getBytes(req.content());
              String from = IpLiteral.canonical(source);
              return () ->
                  reports
                      .handle(body, from, ctx.executor())
                      .thenApply(r -> new Answer(r.status().label(), report(r)));
            });
    Route update =
        new Route(
            Endpoint.DYNDNS2,
            HttpMethod.GET,
            dyndns2Workers,
            GatewayHandler::dyndns2Refusal,
            (ctx, req, uri, source) -> {
              Map<String, List<String>> q = uri.parameters();
              Dyndns2Request request =
                  new Dyndns2Request(
                      Optional.ofNullable(req.headers().get(HttpHeaderNames.AUTHORIZATION)),
                      Optional.ofNullable(req.headers().get(HttpHeaderNames.USER_AGENT)),
                      first(q, "hostname"),
                      first(q, "myip"),
                      source);
              return () -> {
                Dyndns2Answer a = dyndns2.update(request);
                return CompletableFuture.completedFuture(new Answer(a.outcome(), dyndns2(a)));
              };
            });
    this.routes = Map.of(report.endpoint(), report, update.endpoint(), update);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (closing) {
      // RFC 9112 §9.6: nothing after a request that closes the connection is served.
      return;
    }
    if (req.decoderResult().isFailure()) {
      if (!ctx.channel().isActive()) {
        // The codec hands on what it had when the connection closed: there is no one to answer.
        return;
      }
      refusals.refused("", ctx.channel().remoteAddress(), "bad-request", "undecodable request");
      answer(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (places.size() >= MAX_PIPELINED) {
      refusals.refused(
          RequestPath.of(req.uri()),
          ctx.channel().remoteAddress(),
          "pipeline-overflow",
          "over " + MAX_PIPELINED + " pipelined requests waiting");
      answer(
          ctx,
          text(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many pipelined requests\n"),
          false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path;
    try {
      path = uri.path();
      uri.parameters();
    } catch (IllegalArgumentException e) {
      // A malformed %-escape: answered, audited (the raw path made printable), never echoed.
      refusals.refused(
          RequestPath.of(req.uri()),
          ctx.channel().remoteAddress(),
          "bad-request",
          "undecodable path or query");
      answer(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
      return;
    }
    Endpoint endpoint = ENDPOINTS.get(path);
    Route route = endpoint == null ? null : routes.get(endpoint);
    if (route == null) {
      refusals.refused(path, ctx.channel().remoteAddress(), "not-found", "no such endpoint");
      answer(ctx, text(HttpResponseStatus.NOT_FOUND, "no such endpoint\n"), keepAlive);
    } else if (!req.method().equals(route.method())) {
      String allowed = route.method().name();
      refusals.refused(
          path,
          ctx.channel().remoteAddress(),
          "method-not-allowed",
          "only " + allowed + " is served");
      FullHttpResponse res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allowed + "\n");
      res.headers().set(HttpHeaderNames.ALLOW, allowed);
      answer(ctx, res, keepAlive);
    } else if (!perSource.tryAcquire(source(ctx))) {
      Answer a = route.refusal().apply(Refusal.RATE_LIMITED);
      observer.handled(route.endpoint(), a.outcome());
      refusals.refused(
          path, ctx.channel().remoteAddress(), a.outcome(), "source over its rate limit");
      answer(ctx, a.response(), keepAlive);
    } else {
      offload(ctx, keepAlive, route, path, route.work().prepare(ctx, req, uri, source(ctx)));
    }
  }

  /** A body over the limit ({@link BodyLimit}): answered 413 in its turn, then closed. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof BodyLimit.TooLarge tooLarge) {
      if (!closing) {
        answer(ctx, tooLarge.response(), false);
      } else {
        tooLarge.response().release();
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  /**
   * Runs {@code work} on the route's workers and queues its answer once its future completes (for
   * agent reports: once ZooKeeper committed, without holding a worker). A saturated pool is
   * answered busy at once; an unexpected exception, thrown or completing the future, is answered
   * 500, audited and logged, and the connection reads on either way.
   */
  @SuppressWarnings("try") // the try-with-resources resources are MDC scopes, never read
  private void offload(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      Route route,
      String path,
      Supplier<CompletableFuture<Answer>> work) {
    Place place = enqueue(ctx, keepAlive);
    // The request's id in the MDC of the work's logs (a JSON log field; docs/operations.md).
    String requestId = ctx.channel().id().asShortText() + "-" + (++requests);
    try {
      route
          .workers()
          .execute(
              () -> {
                CompletableFuture<Answer> answer;
                try (var request = MDC.putCloseable("request", requestId)) {
                  answer = work.get();
                } catch (Throwable e) {
                  // Whatever it is, the connection gets its 500 and reads on.
                  answer = CompletableFuture.failedFuture(e);
                }
                answer.whenComplete(
                    (a, error) -> {
                      FullHttpResponse r;
                      if (error == null) {
                        observer.handled(route.endpoint(), a.outcome());
                        r = a.response();
                      } else {
                        try (var request = MDC.putCloseable("request", requestId)) {
                          r = internalError(ctx, route, path, error);
                        }
                      }
                      if (ctx.executor().inEventLoop()) {
                        ready(ctx, place, r);
                      } else {
                        ctx.executor().execute(() -> ready(ctx, place, r));
                      }
                    });
              });
    } catch (RejectedExecutionException e) {
      log.warn("gateway workers saturated: answering busy to {}", ctx.channel().remoteAddress());
      Answer busy = route.refusal().apply(Refusal.BUSY);
      observer.handled(route.endpoint(), busy.outcome());
      refusals.refused(
          path, ctx.channel().remoteAddress(), busy.outcome(), "busy: workers saturated");
      ready(ctx, place, busy.response());
    }
  }

  private FullHttpResponse internalError(
      ChannelHandlerContext ctx, Route route, String path, Throwable error) {
    Throwable e =
        error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
    log.error(
        "gateway endpoint={} source={} request failed, answered 500",
        route.endpoint().label(),
        RefusalAudit.source(ctx.channel().remoteAddress()),
        e);
    Answer failed = route.refusal().apply(Refusal.FAILED);
    observer.handled(route.endpoint(), failed.outcome());
    refusals.refused(
        path,
        ctx.channel().remoteAddress(),
        "internal-error",
        "unexpected " + e.getClass().getSimpleName() + " (in the node's log)");
    return failed.response();
  }

  private static Answer reportRefusal(Refusal refusal) {
    ReportResponse r =
        switch (refusal) {
          case RATE_LIMITED ->
              new ReportResponse(
                  ReportStatus.RATE_LIMITED, OptionalLong.empty(), "too many requests");
          case BUSY -> new ReportResponse(ReportStatus.UNAVAILABLE, OptionalLong.empty(), "busy");
          case FAILED ->
              new ReportResponse(
                  ReportStatus.INTERNAL_ERROR,
                  OptionalLong.empty(),
                  "internal error; the node's log has the cause, retry another node");
        };
    return new Answer(r.status().label(), report(r));
  }

  private static Answer dyndns2Refusal(Refusal refusal) {
    Dyndns2Answer a =
        switch (refusal) {
          case RATE_LIMITED -> Dyndns2Answer.of("abuse");
          case BUSY -> Dyndns2Answer.of("911");
          case FAILED -> new Dyndns2Answer(500, List.of("911"), "911", false);
        };
    return new Answer(a.outcome(), dyndns2(a));
  }

  /** Queues an answer that is ready now. */
  private void answer(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
    ready(ctx, enqueue(ctx, keepAlive), res);
  }

  /** Takes the next place in the queue; the connection stops reading until the queue is empty. */
  private Place enqueue(ChannelHandlerContext ctx, boolean keepAlive) {
    Place place = new Place();
    place.keepAlive = keepAlive;
    places.addLast(place);
    if (!keepAlive) {
      closing = true;
    }
    ctx.channel().config().setAutoRead(false);
    return place;
  }

  /** Fills {@code place} and writes every answer that is now first in line. On the event loop. */
  private void ready(ChannelHandlerContext ctx, Place place, FullHttpResponse res) {
    if (inactive) {
      ReferenceCountUtil.release(res);
      return;
    }
    place.response = res;
    while (!places.isEmpty() && places.peekFirst().response != null) {
      Place first = places.pollFirst();
      HttpUtil.setKeepAlive(first.response, first.keepAlive);
      var f = ctx.writeAndFlush(first.response);
      if (!first.keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
        releaseWaiting();
        return;
      }
    }
    if (places.isEmpty()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void releaseWaiting() {
    for (Place p : places) {
      ReferenceCountUtil.release(p.response);
    }
    places.clear();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    inactive = true;
    releaseWaiting();
    super.channelInactive(ctx);
  }

  private static Optional<String> first(Map<String, List<String>> q, String name) {
    List<String> values = q.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static InetAddress source(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress()
        : InetAddress.getLoopbackAddress();
  }

  private static FullHttpResponse report(ReportResponse r) {
    return response(
        HttpResponseStatus.valueOf(r.status().httpStatus()),
        r.json(),
        HttpHeaderValues.APPLICATION_JSON.toString());
  }

  private static FullHttpResponse dyndns2(Dyndns2Answer a) {
    FullHttpResponse res =
        response(
            HttpResponseStatus.valueOf(a.httpStatus()),
            a.body().getBytes(StandardCharsets.US_ASCII),
            "text/plain; charset=us-ascii");
    if (a.challenge()) {
      res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"haddns\"");
    }
    return res;
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    return response(status, body.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  static FullHttpResponse response(HttpResponseStatus status, byte[] body, String contentType) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return res;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "gateway connection={} closed after error: {}",
        ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
