package io.haddns.controller.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway listens and what it tolerates. Built with {@link #builder} (or {@link
 * #defaults}).
 *
 * @param tls PEM certificate chain and PKCS#8 key; empty for plain HTTP
 * @param headerTimeout a request's headers must arrive within this of the connection opening or of
 *     the previous response (slow-header clients are closed)
 * @param requestTimeout the whole request, headers and body, must arrive within this of the
 *     connection opening or of the previous response (slow-body clients are answered 408 and
 *     closed); at least {@code headerTimeout}
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param clockSkew accepted distance between a report's {@code observedAt} and this node's clock
 * @param perSourcePermits requests allowed per source address per {@code rateLimitPeriod} (IPv6
 *     sources counted per /64)
 * @param perCredentialPermits updates per agent, and failed logins per dyndns2 user name and per
 *     source, per {@code rateLimitPeriod} (successful logins are not counted)
 * @param workerThreads threads parsing and verifying agent reports (Ed25519; CPU only, the
 *     ZooKeeper commit holds no thread); default: one per core
 * @param passwordThreads threads running dyndns2 updates (bcrypt, ZooKeeper commits), apart from
 *     the agents' so that a flood of logins cannot starve agents
 * @param maxConnections open connections allowed in all; more are closed at once
 * @param maxConnectionsPerSource open connections allowed per source address (IPv6 per /64)
 */
public record GatewaySettings(
    String host,
    int port,
    Optional<Tls> tls,
    Duration headerTimeout,
    Duration requestTimeout,
    Duration idleTimeout,
    Duration clockSkew,
    int perSourcePermits,
    int perCredentialPermits,
    Duration rateLimitPeriod,
    int workerThreads,
    int passwordThreads,
    int maxConnections,
    int maxConnectionsPerSource) {

  /** Request bodies above this are refused with 413 (docs/agent-protocol.md). */
  public static final int MAX_BODY_BYTES = 8 * 1024;

  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 64;

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
    positive("requestTimeout", requestTimeout);
    positive("idleTimeout", idleTimeout);
    positive("clockSkew", clockSkew);
    positive("rateLimitPeriod", rateLimitPeriod);
    if (requestTimeout.compareTo(headerTimeout) < 0) {
      throw new IllegalArgumentException(
          "requestTimeout must be at least headerTimeout ("
              + headerTimeout
              + "), was "
              + requestTimeout);
    }
    positive("perSourcePermits", perSourcePermits);
    positive("perCredentialPermits", perCredentialPermits);
    positive("workerThreads", workerThreads);
    positive("passwordThreads", passwordThreads);
    positive("maxConnections", maxConnections);
    positive("maxConnectionsPerSource", maxConnectionsPerSource);
  }

  /**
   * Plain HTTP on {@code host:port}; headers within 10 s and the whole request within 30 s, idle 60
   * s, ±5 min skew, 60 requests per source and 30 updates per credential per minute, one agent
   * worker thread per core, at least two (parsing and Ed25519 verification are CPU only; no worker
   * waits for ZooKeeper), 2 dyndns2 threads (bcrypt is CPU-bound), 4096 connections, 64 per source.
   */
  public static GatewaySettings defaults(String host, int port) {
    return builder(host, port).build();
  }

  /** The {@link #defaults} for {@code host:port}, to change before {@link Builder#build()}. */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /**
   * Collects settings, starting from the {@link #defaults}; {@link #build()} validates them, naming
   * the field of a bad value. Not thread-safe.
   */
  public static final class Builder {
    private final String host;
    private final int port;
    private Optional<Tls> tls = Optional.empty();
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration clockSkew = Duration.ofMinutes(5);
    private int perSourcePermits = 60;
    private int perCredentialPermits = 30;
    private Duration rateLimitPeriod = Duration.ofMinutes(1);
    private int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int passwordThreads = 2;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerSource = DEFAULT_MAX_CONNECTIONS_PER_SOURCE;

    private Builder(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /** Serves HTTPS with {@code tls}. */
    public Builder tls(Tls tls) {
      this.tls = Optional.of(tls);
      return this;
    }

    /** See {@link GatewaySettings#perSourcePermits()} and the fields that follow it. */
    public Builder rateLimits(int perSource, int perCredential, Duration period) {
      this.perSourcePermits = perSource;
      this.perCredentialPermits = perCredential;
      this.rateLimitPeriod = period;
      return this;
    }

    /** See {@link GatewaySettings#headerTimeout()} and the fields that follow it. */
    public Builder timeouts(Duration header, Duration request, Duration idle) {
      this.headerTimeout = header;
      this.requestTimeout = request;
      this.idleTimeout = idle;
      return this;
    }

    /** See {@link GatewaySettings#maxConnections()} and the field that follows it. */
    public Builder connectionLimits(int total, int perSource) {
      this.maxConnections = total;
      this.maxConnectionsPerSource = perSource;
      return this;
    }

    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = clockSkew;
      return this;
    }

    /**
     * See {@link GatewaySettings#workerThreads()} and {@link GatewaySettings#passwordThreads()}.
     */
    public Builder threads(int workers, int password) {
      this.workerThreads = workers;
      this.passwordThreads = password;
      return this;
    }

    public GatewaySettings build() {
      return new GatewaySettings(
          host,
          port,
          tls,
          headerTimeout,
          requestTimeout,
          idleTimeout,
          clockSkew,
          perSourcePermits,
          perCredentialPermits,
          rateLimitPeriod,
          workerThreads,
          passwordThreads,
          maxConnections,
          maxConnectionsPerSource);
    }
  }

  private static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, was " + d);
    }
  }

  private static void positive(String field, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(field + " must be positive, was " + n);
    }
  }
}
