package io.haddns.controller.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code notifications} section (docs/notifications.md): receivers, routes and delivery.
 *
 * @param maxAttempts attempts per receiver before a notification becomes a dead letter
 * @param minBackoff wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between attempts (a receiver's Retry-After may ask for more,
 *     up to an hour)
 * @param pollInterval how often the leader looks at the outbox
 * @param maxDeadLetters dead letters kept; the oldest are dropped beyond this
 * @param gatewayAbuse when gateway refusals become {@code gateway-abuse} notifications
 */
public record NotificationsConfig(
    List<ReceiverConfig> receivers,
    List<RouteConfig> routes,
    int maxAttempts,
    Duration minBackoff,
    Duration maxBackoff,
    Duration pollInterval,
    int maxDeadLetters,
    GatewayAbuseConfig gatewayAbuse) {
  public static final int DEFAULT_MAX_ATTEMPTS = 12;
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(10);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_DEAD_LETTERS = 1000;

  public NotificationsConfig {
    receivers = List.copyOf(receivers);
    routes = List.copyOf(routes);
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(gatewayAbuse, "gatewayAbuse");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("notifications.maxAttempts must be positive");
    }
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("notifications.maxBackoff must be at least minBackoff");
    }
    if (maxDeadLetters < 1) {
      throw new IllegalArgumentException("notifications.maxDeadLetters must be positive");
    }
  }

  /** With the default {@link GatewayAbuseConfig}. */
  public NotificationsConfig(
      List<ReceiverConfig> receivers,
      List<RouteConfig> routes,
      int maxAttempts,
      Duration minBackoff,
      Duration maxBackoff,
      Duration pollInterval,
      int maxDeadLetters) {
    this(
        receivers,
        routes,
        maxAttempts,
        minBackoff,
        maxBackoff,
        pollInterval,
        maxDeadLetters,
        GatewayAbuseConfig.defaults());
  }

  /** No receivers: nothing is written to the outbox and nothing is sent. */
  public static NotificationsConfig none() {
    return new NotificationsConfig(
        List.of(),
        List.of(),
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_MIN_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_MAX_DEAD_LETTERS);
  }

  public boolean enabled() {
    return !receivers.isEmpty();
  }

  public Optional<ReceiverConfig> receiver(String name) {
    return receivers.stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
