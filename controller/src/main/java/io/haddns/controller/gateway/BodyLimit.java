package io.haddns.controller.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.OptionalLong;

/**
 * Aggregates a request of at most {@link GatewaySettings#MAX_BODY_BYTES}; a larger one is answered
 * 413 {@code too-large} (by its Content-Length, before the body is read) and the connection closed.
 * The answer goes to the router as a {@link TooLarge} event, which writes it after the answers to
 * any earlier pipelined requests.
 */
final class BodyLimit extends HttpObjectAggregator {
  private final GatewayObserver observer;
  private final RefusalAudit refusals;

  /** The 413 answer for a request whose body is too large; the connection closes after it. */
  record TooLarge(FullHttpResponse response) {}

  BodyLimit(GatewayObserver observer, RefusalAudit refusals) {
    super(GatewaySettings.MAX_BODY_BYTES);
    this.observer = observer;
    this.refusals = refusals;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    observer.handled(GatewayObserver.Endpoint.AGENT_REPORT, ReportStatus.TOO_LARGE.label());
    String path = oversized instanceof HttpRequest r ? RequestPath.of(r.uri()) : "";
    refusals.refused(
        path,
        ctx.channel().remoteAddress(),
        ReportStatus.TOO_LARGE.label(),
        "body over " + GatewaySettings.MAX_BODY_BYTES + " bytes");
    byte[] body =
        new ReportResponse(
                ReportStatus.TOO_LARGE,
                OptionalLong.empty(),
                "body over " + GatewaySettings.MAX_BODY_BYTES + " bytes")
            .json();
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Unpooled.wrappedBuffer(body));
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.fireUserEventTriggered(new TooLarge(res));
  }
}
