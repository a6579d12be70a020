package io.haddns.controller.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a client may take to send a request, counted from the connection opening or from
 * the previous response: its headers within the header timeout, and the whole request (headers and
 * body) within the request timeout. A client trickling headers or a body byte by byte (a
 * "slowloris") cannot hold a connection, whatever the idle timeout, which every byte restarts.
 *
 * <p>A connection that sent part of a request when a limit passed is audited ({@code
 * header-timeout}, {@code request-timeout}); a body that is late is also answered 408. A keep-alive
 * connection that simply sent nothing more is closed quietly. Sits after the HTTP codec; the timers
 * pause while a request is being answered, and start again only once every request read has its
 * answer written (pipelined requests wait for their turn without a clock running against them).
 */
final class RequestTimeouts extends ChannelDuplexHandler {
  private final long headerNanos;
  private final long requestNanos;
  private final RefusalAudit refusals;
  private ScheduledFuture<?> headers;
  private ScheduledFuture<?> request;
  private boolean partial;
  private boolean decodedInThisRead;
  private String path = "";
  private long unanswered;

  RequestTimeouts(long headerNanos, long requestNanos, RefusalAudit refusals) {
    this.headerNanos = headerNanos;
    this.requestNanos = requestNanos;
    this.refusals = refusals;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpObject) {
      decodedInThisRead = true;
    }
    if (msg instanceof HttpRequest r) {
      cancel(headers);
      headers = null;
      path = RequestPath.of(r.uri());
    }
    if (msg instanceof LastHttpContent) {
      unanswered++;
      cancel(request);
      request = null;
    }
    super.channelRead(ctx, msg);
  }

  // The codec passes on every read's completion, also of bytes that did not yet make a request.
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (!decodedInThisRead && request != null) {
      partial = true;
    }
    decodedInThisRead = false;
    super.channelReadComplete(ctx);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof LastHttpContent && unanswered > 0 && --unanswered == 0) {
      arm(ctx);
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    partial = false;
    path = "";
    headers = ctx.executor().schedule(() -> headersLate(ctx), headerNanos, TimeUnit.NANOSECONDS);
    request = ctx.executor().schedule(() -> requestLate(ctx), requestNanos, TimeUnit.NANOSECONDS);
  }

  private void headersLate(ChannelHandlerContext ctx) {
    if (partial) {
      refusals.refused(
          "",
          ctx.channel().remoteAddress(),
          "header-timeout",
          "headers not complete within " + TimeUnit.NANOSECONDS.toMillis(headerNanos) + " ms");
    }
    disarm();
    ctx.close();
  }

  private void requestLate(ChannelHandlerContext ctx) {
    disarm();
    refusals.refused(
        path,
        ctx.channel().remoteAddress(),
        "request-timeout",
        "request not complete within " + TimeUnit.NANOSECONDS.toMillis(requestNanos) + " ms");
    byte[] body = "request not complete in time\n".getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }

  private void disarm() {
    cancel(headers);
    cancel(request);
    headers = null;
    request = null;
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
