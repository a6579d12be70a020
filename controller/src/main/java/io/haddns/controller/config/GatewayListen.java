package io.haddns.controller.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where this node's update gateway (agent reports and dyndns2) listens. It runs only when the
 * configuration lists agents or dyndns2 credentials.
 *
 * @param port 0 picks a free port
 * @param tls the PEM certificate chain and PKCS#8 private key; empty for plain HTTP
 * @param perSourcePerMinute requests allowed per source address per minute
 * @param perCredentialPerMinute accepted updates per agent or dyndns2 user per minute
 */
public record GatewayListen(
    String host,
    int port,
    Optional<TlsFiles> tls,
    int perSourcePerMinute,
    int perCredentialPerMinute) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_PER_SOURCE_PER_MINUTE = 60;
  public static final int DEFAULT_PER_CREDENTIAL_PER_MINUTE = 30;

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
  }

  /** With the default rate limits. */
  public GatewayListen(String host, int port, Optional<TlsFiles> tls) {
    this(host, port, tls, DEFAULT_PER_SOURCE_PER_MINUTE, DEFAULT_PER_CREDENTIAL_PER_MINUTE);
  }

  /** Plain HTTP on all addresses, port 8080. */
  public static GatewayListen defaults() {
    return new GatewayListen(DEFAULT_HOST, DEFAULT_PORT, Optional.empty());
  }

  public GatewayListen withAddress(String host, int port) {
    return new GatewayListen(host, port, tls, perSourcePerMinute, perCredentialPerMinute);
  }
}
