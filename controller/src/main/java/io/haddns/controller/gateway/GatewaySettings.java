package io.haddns.controller.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway listens and what it tolerates.
 *
 * @param tls PEM certificate chain and PKCS#8 key; empty for plain HTTP
 * @param headerTimeout a request's headers must arrive within this of the connection opening or of
 *     the previous response (slow-header clients are closed)
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param clockSkew accepted distance between a report's {@code observedAt} and this node's clock
 * @param perSourcePermits requests allowed per source address per {@code rateLimitPeriod}
 * @param perCredentialPermits accepted updates per agent or dyndns2 user per {@code
 *     rateLimitPeriod}
 * @param workerThreads threads running the blocking part (password checks, ZooKeeper commits)
 */
public record GatewaySettings(
    String host,
    int port,
    Optional<Tls> tls,
    Duration headerTimeout,
    Duration idleTimeout,
    Duration clockSkew,
    int perSourcePermits,
    int perCredentialPermits,
    Duration rateLimitPeriod,
    int workerThreads) {

  /** Request bodies above this are refused with 413 (docs/agent-protocol.md). */
  public static final int MAX_BODY_BYTES = 8 * 1024;

  /** TLS material, read when the server starts. */
  public record Tls(Path certificateChain, Path privateKey) {
    public Tls {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }

  public GatewaySettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    Objects.requireNonNull(tls, "tls");
    positive("headerTimeout", headerTimeout);
    positive("idleTimeout", idleTimeout);
    positive("clockSkew", clockSkew);
    positive("rateLimitPeriod", rateLimitPeriod);
    if (perSourcePermits < 1 || perCredentialPermits < 1 || workerThreads < 1) {
      throw new IllegalArgumentException(
          "perSourcePermits, perCredentialPermits and workerThreads must be positive");
    }
  }

  /**
   * Plain HTTP on {@code host:port}; headers within 10 s, idle 60 s, ±5 min skew, 60 requests per
   * source and 30 updates per credential per minute, 64 worker threads (each blocks on ZooKeeper
   * round trips; more of them let commits of different lines overlap).
   */
  public static GatewaySettings defaults(String host, int port) {
    return new GatewaySettings(
        host,
        port,
        Optional.empty(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        60,
        30,
        Duration.ofMinutes(1),
        64);
  }

  public GatewaySettings withTls(Tls tls) {
    return new GatewaySettings(
        host,
        port,
        Optional.of(tls),
        headerTimeout,
        idleTimeout,
        clockSkew,
        perSourcePermits,
        perCredentialPermits,
        rateLimitPeriod,
        workerThreads);
  }

  public GatewaySettings withRateLimits(int perSource, int perCredential, Duration period) {
    return new GatewaySettings(
        host,
        port,
        tls,
        headerTimeout,
        idleTimeout,
        clockSkew,
        perSource,
        perCredential,
        period,
        workerThreads);
  }

  public GatewaySettings withTimeouts(Duration header, Duration idle) {
    return new GatewaySettings(
        host,
        port,
        tls,
        header,
        idle,
        clockSkew,
        perSourcePermits,
        perCredentialPermits,
        rateLimitPeriod,
        workerThreads);
  }

  private static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, was " + d);
    }
  }
}
