package io.haddns.controller.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where this node's update gateway (agent reports and dyndns2) listens. It runs only when the
 * configuration lists agents or dyndns2 credentials.
 *
 * @param port 0 picks a free port
 * @param tls the PEM certificate chain and PKCS#8 private key; empty for plain HTTP
 * @param perSourcePerMinute requests allowed per source address per minute
 * @param perCredentialPerMinute accepted updates per agent, and failed dyndns2 logins per user name
 *     and per source, per minute (successful logins are not counted)
 * @param headerTimeout a request's headers must arrive within this of the connection opening or the
 *     previous response
 * @param requestTimeout the whole request (headers and body) must arrive within this; at least
 *     {@code headerTimeout}
 * @param maxConnections open connections allowed in all
 * @param maxConnectionsPerSource open connections allowed per source address (IPv6 per /64)
 */
public record GatewayListen(
    String host,
    int port,
    Optional<TlsFiles> tls,
    int perSourcePerMinute,
    int perCredentialPerMinute,
    Duration headerTimeout,
    Duration requestTimeout,
    int maxConnections,
    int maxConnectionsPerSource) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_PER_SOURCE_PER_MINUTE = 60;
  public static final int DEFAULT_PER_CREDENTIAL_PER_MINUTE = 30;
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 64;

  /** TLS material for the gateway, checked to be readable PEM when the file is loaded. */
  public record TlsFiles(Path certificateFile, Path keyFile) {
    public TlsFiles {
      Objects.requireNonNull(certificateFile, "certificateFile");
      Objects.requireNonNull(keyFile, "keyFile");
    }
  }

  public GatewayListen {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("node.gateway.port must be 0..65535, was " + port);
    }
    Objects.requireNonNull(tls, "tls");
    if (perSourcePerMinute < 1 || perCredentialPerMinute < 1) {
      throw new IllegalArgumentException("node.gateway.rateLimits must be positive");
    }
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (headerTimeout.isNegative()
        || headerTimeout.isZero()
        || requestTimeout.compareTo(headerTimeout) < 0) {
      throw new IllegalArgumentException(
          "node.gateway.timeouts: header must be positive and request at least header, were "
              + headerTimeout
              + " and "
              + requestTimeout);
    }
    if (maxConnections < 1 || maxConnectionsPerSource < 1) {
      throw new IllegalArgumentException("node.gateway.connections must be positive");
    }
  }

  /** With the default rate limits, timeouts and connection caps. */
  public GatewayListen(String host, int port, Optional<TlsFiles> tls) {
    this(
        host,
        port,
        tls,
        DEFAULT_PER_SOURCE_PER_MINUTE,
        DEFAULT_PER_CREDENTIAL_PER_MINUTE,
        DEFAULT_HEADER_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_CONNECTIONS_PER_SOURCE);
  }

  /** Plain HTTP on all addresses, port 8080. */
  public static GatewayListen defaults() {
    return new GatewayListen(DEFAULT_HOST, DEFAULT_PORT, Optional.empty());
  }

  public GatewayListen withAddress(String host, int port) {
    return new GatewayListen(
        host,
        port,
        tls,
        perSourcePerMinute,
        perCredentialPerMinute,
        headerTimeout,
        requestTimeout,
        maxConnections,
        maxConnectionsPerSource);
  }
}
