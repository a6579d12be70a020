package io.haddns.controller.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the leader checks, after an apply, that the zone's authoritative servers answer the new
 * values, and how long that took.
 *
 * @param enabled whether to verify at all
 * @param nameservers the servers to ask (unresolved host and port); empty means the provider's own
 *     server for {@code rfc2136}, else the zone's NS records as the system resolver finds them
 * @param timeout how long to keep asking before reporting the change as not visible
 */
public record VerifyConfig(boolean enabled, List<InetSocketAddress> nameservers, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public VerifyConfig {
    nameservers = List.copyOf(nameservers);
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Verify against the default servers within 30 s. */
  public static VerifyConfig defaults() {
    return new VerifyConfig(true, List.of(), DEFAULT_TIMEOUT);
  }
}
