package io.haddns.controller.config;

import java.util.Objects;

/**
 * A TSIG key (RFC 8945).
 *
 * @param algorithm dnsjava algorithm name such as {@code hmac-sha256}
 */
public record TsigConfig(String name, String algorithm, Secret secret) {
  public TsigConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(secret, "secret");
  }
}
