package io.haddns.controller.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * How many connections one TCP server keeps open, in all and per source ({@link SourceKey}), and
 * how long one request may take to arrive from its first byte, however slowly it trickles in
 * (docs/configuration.md, "Connection limits").
 */
public record ListenerLimits(
    int maxConnections, int maxConnectionsPerSource, Duration requestTimeout) {
  public ListenerLimits {
    if (maxConnections < 1 || maxConnectionsPerSource < 1) {
      throw new IllegalArgumentException(
          "connection caps must be positive, were "
              + maxConnections
              + "/"
              + maxConnectionsPerSource);
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
    }
  }

  /** The caps as a handler shared by all connections of one server. */
  public ConnectionLimits handler(ConnectionLimits.Refusals refusals) {
    return new ConnectionLimits(maxConnections, maxConnectionsPerSource, refusals);
  }
}
