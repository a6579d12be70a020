package io.haddns.controller.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open connections, in all and per source (an IPv4 address or an IPv6 /64, as {@link
 * RateLimits#sourceKey}), so slow or idle clients cannot use up the node's file descriptors or
 * memory. A connection over a cap is audited ({@code too-many-connections}) and closed before any
 * byte is read. First in the pipeline, shared by all connections; thread-safe.
 */
@ChannelHandler.Sharable
final class ConnectionLimits extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<String> COUNTED =
      AttributeKey.valueOf(ConnectionLimits.class, "source");

  private final int maxTotal;
  private final int maxPerSource;
  private final RefusalAudit refusals;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentMap<String, Integer> perSource = new ConcurrentHashMap<>();

  ConnectionLimits(int maxTotal, int maxPerSource, RefusalAudit refusals) {
    this.maxTotal = maxTotal;
    this.maxPerSource = maxPerSource;
    this.refusals = refusals;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    String key =
        ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
            ? RateLimits.sourceKey(a.getAddress())
            : "?";
    String refused = admit(key);
    if (refused != null) {
      refusals.refused("", ctx.channel().remoteAddress(), "too-many-connections", refused);
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

  int open() {
    return total.get();
  }
}
