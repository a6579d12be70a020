package io.haddns.controller.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code notifications.gatewayAbuse} (docs/notifications.md, "Gateway abuse"): when a node's
 * gateway refusals from one source become a {@code gateway-abuse} notification.
 *
 * @param threshold refusals of one kind from one source on one node within a window before that
 *     node reports the source
 * @param window the fixed, clock-aligned window refusals are counted in; at most one notification
 *     per kind and source per window
 * @param publishInterval how often a node writes its summary to ZooKeeper (only when it changed)
 *     and the leader reads the nodes' summaries
 * @param maxSources sources a node's summary names at most (the busiest ones)
 */
public record GatewayAbuseConfig(
    int threshold, Duration window, Duration publishInterval, int maxSources) {
  public static final int DEFAULT_THRESHOLD = 20;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_SOURCES = 20;

  public GatewayAbuseConfig {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(publishInterval, "publishInterval");
    if (threshold < 1) {
      throw new IllegalArgumentException("notifications.gatewayAbuse.threshold must be positive");
    }
    if (window.toMillis() < 1 || publishInterval.toMillis() < 1) {
      throw new IllegalArgumentException(
          "notifications.gatewayAbuse.window and publishInterval must be positive");
    }
    if (maxSources < 1) {
      throw new IllegalArgumentException("notifications.gatewayAbuse.maxSources must be positive");
    }
  }

  public static GatewayAbuseConfig defaults() {
    return new GatewayAbuseConfig(
        DEFAULT_THRESHOLD, DEFAULT_WINDOW, DEFAULT_PUBLISH_INTERVAL, DEFAULT_MAX_SOURCES);
  }
}
