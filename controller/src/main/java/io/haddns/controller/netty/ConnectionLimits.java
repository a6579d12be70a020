package io.haddns.controller.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps a server's open connections, in all and per source ({@link SourceKey}), so slow or idle
 * clients cannot use up the node's file descriptors or memory (docs/configuration.md, "Connection
 * limits"). A connection over a cap is reported to the {@link Refusals} and closed before any byte
 * is read. First in the pipeline, one instance shared by all connections of a server; thread-safe.
 */
@ChannelHandler.Sharable
public final class ConnectionLimits extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<String> COUNTED =
      AttributeKey.valueOf(ConnectionLimits.class, "source");

  /** Told of each refused connection, on its event loop; must not block. */
  @FunctionalInterface
  public interface Refusals {
    void refused(SocketAddress remote, String reason);
  }

  private final int maxTotal;
  private final int maxPerSource;
  private final Refusals refusals;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentMap<String, Integer> perSource = new ConcurrentHashMap<>();

  public ConnectionLimits(int maxTotal, int maxPerSource, Refusals refusals) {
    if (maxTotal < 1 || maxPerSource < 1) {
      throw new IllegalArgumentException(
          "connection caps must be positive, were " + maxTotal + "/" + maxPerSource);
    }
    this.maxTotal = maxTotal;
    this.maxPerSource = maxPerSource;
    this.refusals = refusals;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    String key = SourceKey.of(ctx.channel().remoteAddress());
    String refused = admit(key);
    if (refused != null) {
      refusals.refused(ctx.channel().remoteAddress(), refused);
      ctx.close();
      return;
    }
    ctx.channel().attr(COUNTED).set(key);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    String key = ctx.channel().attr(COUNTED).getAndSet(null);
    if (key != null) {
      release(key);
    }
    super.channelInactive(ctx);
  }

  /** Counts a connection from {@code key}; the reason when it is over a cap (and not counted). */
  String admit(String key) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return "node has " + maxTotal + " connections open";
    }
    int mine = perSource.merge(key, 1, Integer::sum);
    if (mine > maxPerSource) {
      release(key);
      return "source has " + maxPerSource + " connections open";
    }
    return null;
  }

  void release(String key) {
    total.decrementAndGet();
    perSource.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Connections open now. */
  public int open() {
    return total.get();
  }
}
