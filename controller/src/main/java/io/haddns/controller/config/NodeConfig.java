package io.haddns.controller.config;

import java.util.Objects;

/**
 * Per-node settings: from flags or environment, or the file for single-node use.
 *
 * @param httpHost address the admin/metrics HTTP server binds
 * @param httpPort port of that server; 0 picks a free one
 */
public record NodeConfig(String id, String httpHost, int httpPort) {
  public static final int DEFAULT_HTTP_PORT = 8053;

  public NodeConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(httpHost, "httpHost");
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("node.httpPort must be 0..65535, was " + httpPort);
    }
  }
}
