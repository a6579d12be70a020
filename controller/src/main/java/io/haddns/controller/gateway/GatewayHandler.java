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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes gateway requests: {@code POST /api/v1/report} to {@link AgentReports}, {@code GET
 * /nic/update} and {@code /v3/update} to {@link Dyndns2Updates}. The per-source rate limit is
 * checked here, on the event loop; the blocking work runs on {@code agentWorkers} or, for dyndns2
 * (bcrypt), on the separate {@code dyndns2Workers}, so that a flood of logins cannot starve agents;
 * the connection reads nothing more until its answer is written, so keep-alive answers stay in
 * order. Every refusal made here is audited through {@link RefusalAudit}.
 */
final class GatewayHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
  static final String REPORT_PATH = "/api/v1/report";
  static final List<String> DYNDNS2_PATHS = List.of("/nic/update", "/v3/update");

  private final AgentReports reports;
  private final Dyndns2Updates dyndns2;
  private final RateLimits perSource;
  private final Executor agentWorkers;
  private final Executor dyndns2Workers;
  private final GatewayObserver observer;
  private final RefusalAudit refusals;

  GatewayHandler(
      AgentReports reports,
      Dyndns2Updates dyndns2,
      RateLimits perSource,
      Executor agentWorkers,
      Executor dyndns2Workers,
      GatewayObserver observer,
      RefusalAudit refusals) {
    this.reports = reports;
    this.dyndns2 = dyndns2;
    this.perSource = perSource;
    this.agentWorkers = agentWorkers;
    this.dyndns2Workers = dyndns2Workers;
    this.observer = observer;
    this.refusals = refusals;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (req.decoderResult().isFailure()) {
      if (!ctx.channel().isActive()) {
        // The codec hands on what it had when the connection closed: there is no one to answer.
        return;
      }
      refusals.refused("", ctx.channel().remoteAddress(), "bad-request", "undecodable request");
      write(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    InetAddress source = source(ctx);
    String path = uri.path();
    if (path.equals(REPORT_PATH)) {
      if (!req.method().equals(HttpMethod.POST)) {
        refuseMethod(ctx, path, "POST", keepAlive);
      } else if (!perSource.tryAcquire(source)) {
        observer.handled(Endpoint.AGENT_REPORT, ReportStatus.RATE_LIMITED.label());
        refusals.refused(
            path,
            ctx.channel().remoteAddress(),
            ReportStatus.RATE_LIMITED.label(),
            "source over its rate limit");
        write(
            ctx,
            report(
                new ReportResponse(
                    ReportStatus.RATE_LIMITED, OptionalLong.empty(), "too many requests")),
            keepAlive);
      } else {
        byte[] body = ByteBufUtil.getBytes(req.content());
        String from = IpLiteral.canonical(source);
        offload(
            ctx,
            keepAlive,
            Endpoint.AGENT_REPORT,
            path,
            () ->
                reports
                    .handle(body, from, ctx.executor())
                    .thenApply(
                        r -> {
                          observer.handled(Endpoint.AGENT_REPORT, r.status().label());
                          return report(r);
                        }));
      }
    } else if (DYNDNS2_PATHS.contains(path)) {
      if (!req.method().equals(HttpMethod.GET)) {
        refuseMethod(ctx, path, "GET", keepAlive);
      } else if (!perSource.tryAcquire(source)) {
        observer.handled(Endpoint.DYNDNS2, "abuse");
        refusals.refused(
            path, ctx.channel().remoteAddress(), "abuse", "source over its rate limit");
        write(ctx, dyndns2(Dyndns2Answer.of("abuse")), keepAlive);
      } else {
        Map<String, List<String>> q = uri.parameters();
        Dyndns2Request request =
            new Dyndns2Request(
                Optional.ofNullable(req.headers().get(HttpHeaderNames.AUTHORIZATION)),
                Optional.ofNullable(req.headers().get(HttpHeaderNames.USER_AGENT)),
                first(q, "hostname"),
                first(q, "myip"),
                source);
        offload(
            ctx,
            keepAlive,
            Endpoint.DYNDNS2,
            path,
            () -> {
              Dyndns2Answer a = dyndns2.update(request);
              observer.handled(Endpoint.DYNDNS2, a.outcome());
              return CompletableFuture.completedFuture(dyndns2(a));
            });
      }
    } else {
      refusals.refused(path, ctx.channel().remoteAddress(), "not-found", "no such endpoint");
      write(ctx, text(HttpResponseStatus.NOT_FOUND, "no such endpoint\n"), keepAlive);
    }
  }

  private void refuseMethod(
      ChannelHandlerContext ctx, String path, String allowed, boolean keepAlive) {
    refusals.refused(
        path,
        ctx.channel().remoteAddress(),
        "method-not-allowed",
        "only " + allowed + " is served");
    FullHttpResponse res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allowed + "\n");
    res.headers().set(HttpHeaderNames.ALLOW, allowed);
    write(ctx, res, keepAlive);
  }

  /**
   * Runs {@code work} on the workers and writes its answer on the event loop once its future
   * completes (for agent reports: once ZooKeeper committed, without holding a worker). A saturated
   * pool is answered busy at once; an unexpected exception, thrown or completing the future, is
   * answered 500, audited and logged, and the connection reads on either way.
   */
  private void offload(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      Endpoint endpoint,
      String path,
      Supplier<CompletableFuture<FullHttpResponse>> work) {
    ctx.channel().config().setAutoRead(false);
    try {
      (endpoint == Endpoint.AGENT_REPORT ? agentWorkers : dyndns2Workers)
          .execute(
              () -> {
                CompletableFuture<FullHttpResponse> answer;
                try {
                  answer = work.get();
                } catch (Throwable e) {
                  // Whatever it is, the connection gets its 500 and reads on.
                  answer = CompletableFuture.failedFuture(e);
                }
                answer.whenComplete(
                    (res, error) -> {
                      FullHttpResponse r =
                          error == null ? res : internalError(ctx, endpoint, path, error);
                      if (ctx.executor().inEventLoop()) {
                        resume(ctx, r, keepAlive);
                      } else {
                        ctx.executor().execute(() -> resume(ctx, r, keepAlive));
                      }
                    });
              });
    } catch (RejectedExecutionException e) {
      log.warn("gateway workers saturated: answering busy to {}", ctx.channel().remoteAddress());
      String outcome = endpoint == Endpoint.AGENT_REPORT ? ReportStatus.UNAVAILABLE.label() : "911";
      observer.handled(endpoint, outcome);
      refusals.refused(path, ctx.channel().remoteAddress(), outcome, "busy: workers saturated");
      resume(ctx, busy(endpoint), keepAlive);
    }
  }

  private FullHttpResponse internalError(
      ChannelHandlerContext ctx, Endpoint endpoint, String path, Throwable error) {
    Throwable e =
        error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
    log.error(
        "gateway endpoint={} source={} request failed, answered 500",
        endpoint.label(),
        RefusalAudit.source(ctx.channel().remoteAddress()),
        e);
    String outcome =
        endpoint == Endpoint.AGENT_REPORT ? ReportStatus.INTERNAL_ERROR.label() : "911";
    observer.handled(endpoint, outcome);
    refusals.refused(
        path,
        ctx.channel().remoteAddress(),
        "internal-error",
        "unexpected " + e.getClass().getSimpleName() + " (in the node's log)");
    return failed(endpoint);
  }

  private static FullHttpResponse busy(Endpoint endpoint) {
    return endpoint == Endpoint.AGENT_REPORT
        ? report(new ReportResponse(ReportStatus.UNAVAILABLE, OptionalLong.empty(), "busy"))
        : dyndns2(Dyndns2Answer.of("911"));
  }

  private static FullHttpResponse failed(Endpoint endpoint) {
    return endpoint == Endpoint.AGENT_REPORT
        ? report(
            new ReportResponse(
                ReportStatus.INTERNAL_ERROR,
                OptionalLong.empty(),
                "internal error; the node's log has the cause, retry another node"))
        : dyndns2(new Dyndns2Answer(500, List.of("911"), "911", false));
  }

  private static void resume(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
    write(ctx, res, keepAlive);
    ctx.channel().config().setAutoRead(true);
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

  private static FullHttpResponse response(
      HttpResponseStatus status, byte[] body, String contentType) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return res;
  }

  private static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
    HttpUtil.setKeepAlive(res, keepAlive);
    var f = ctx.writeAndFlush(res);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
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
