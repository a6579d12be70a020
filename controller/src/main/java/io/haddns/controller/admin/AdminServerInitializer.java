package io.haddns.controller.admin;

import io.haddns.controller.netty.ConnectionLimits;
import io.haddns.controller.netty.IdleClose;
import io.haddns.controller.netty.ListenerLimits;
import io.haddns.controller.netty.RequestDeadline;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin server's pipeline: connection caps in all and per source, idle connections closed, TLS
 * when configured (with client certificates when a client CA is), a deadline for each request from
 * its first byte to its last, HTTP/1.1 with 4 KiB request lines and 8 KiB headers, bodies up to 64
 * KiB (larger ones are answered 413).
 */
final class AdminServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final Logger log = LoggerFactory.getLogger(AdminServerInitializer.class);
  static final int MAX_BODY = 64 * 1024;
  private static final long IDLE_SECONDS = 60;

  private final AdminContext shared;
  private final ListenerLimits limits;
  private final Optional<SslContext> tls;
  private final ConnectionLimits connections;

  AdminServerInitializer(AdminContext shared, ListenerLimits limits, Optional<SslContext> tls) {
    this.shared = shared;
    this.limits = limits;
    this.tls = tls;
    this.connections =
        limits.handler(
            (remote, reason) -> log.debug("admin connection={} refused: {}", remote, reason));
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast(connections);
    tls.ifPresent(t -> ch.pipeline().addLast(t.newHandler(ch.alloc())));
    addHandlers(ch.pipeline());
  }

  /** Adds the handlers; separate so tests can build the pipeline on an {@code EmbeddedChannel}. */
  void addHandlers(ChannelPipeline pipeline) {
    RequestDeadline deadline =
        new RequestDeadline(limits.requestTimeout(), msg -> msg instanceof FullHttpRequest);
    pipeline
        .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
        .addLast(new IdleClose())
        .addLast(deadline.start())
        .addLast(new HttpServerCodec(4096, 8192, 8192))
        .addLast(new JsonTooLarge())
        .addLast(deadline.end())
        .addLast(new AdminHandler(shared));
  }

  /**
   * Aggregates bodies up to {@link #MAX_BODY}; a larger one is answered 413 with the admin API's
   * JSON error body (not Netty's empty one). As Netty does: a keep-alive request's remaining body
   * is read and dropped and the connection stays open (closing it with unread bytes would reset it
   * and could lose the answer); otherwise the connection is closed after the answer.
   */
  private static final class JsonTooLarge extends HttpObjectAggregator {
    private static final byte[] BODY =
        ("{\"error\":\"body larger than " + MAX_BODY + " bytes, the admin API's limit\"}")
            .getBytes(StandardCharsets.UTF_8);

    JsonTooLarge() {
      super(MAX_BODY);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
        throws Exception {
      if (!(oversized instanceof HttpRequest)) {
        super.handleOversizedMessage(ctx, oversized);
        return;
      }
      boolean close =
          oversized instanceof FullHttpMessage
              || (!HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized));
      FullHttpResponse res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              Unpooled.wrappedBuffer(BODY));
      res.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
      if (close) {
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      }
    }
  }
}
