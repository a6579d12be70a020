package io.haddns.controller.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves {@code /healthz}, {@code /readyz}, {@code /api/v1/status} and {@code /metrics}. */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

  private final StatusSource source;
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter metricsWriter = PrometheusTextFormatWriter.create();
  private final ObjectMapper json;

  AdminHandler(StatusSource source, PrometheusRegistry registry) {
    this.source = source;
    this.registry = registry;
    this.json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.decoderResult().isFailure()) {
      // The decoder hands on what it could not parse with a made-up path; never route it.
      badRequest(ctx, DecodeFailures.describe(req.decoderResult().cause()));
      return;
    }
    String path;
    try {
      path = new QueryStringDecoder(req.uri()).path();
    } catch (IllegalArgumentException e) {
      badRequest(ctx, "malformed path");
      return;
    }
    FullHttpResponse res;
    if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
      res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is supported\n");
    } else {
      res =
          switch (path) {
            case "/healthz" -> text(HttpResponseStatus.OK, "ok\n");
            case "/readyz" ->
                source.ready()
                    ? text(HttpResponseStatus.OK, "ready\n")
                    : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready\n");
            case "/api/v1/status" -> status();
            case "/metrics" -> metrics();
            default ->
                text(
                    HttpResponseStatus.NOT_FOUND,
                    "no such endpoint: " + DecodeFailures.printable(path) + "\n");
          };
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(res, keepAlive);
    var f = ctx.writeAndFlush(res);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void badRequest(ChannelHandlerContext ctx, String why) {
    FullHttpResponse res = text(HttpResponseStatus.BAD_REQUEST, "bad request: " + why + "\n");
    HttpUtil.setKeepAlive(res, false);
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }

  private FullHttpResponse status() {
    try {
      byte[] body = json.writeValueAsBytes(source.status());
      return response(HttpResponseStatus.OK, body, HttpHeaderValues.APPLICATION_JSON.toString());
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("admin status failed: {}", e.toString());
      return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "status unavailable\n");
    }
  }

  private FullHttpResponse metrics() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
      metricsWriter.write(out, registry.scrape());
      return response(HttpResponseStatus.OK, out.toByteArray(), metricsWriter.getContentType());
    } catch (IOException | RuntimeException e) {
      log.warn("admin metrics scrape failed: {}", e.toString());
      return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics unavailable\n");
    }
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

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "admin connection={} closed after error: {}",
        ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
