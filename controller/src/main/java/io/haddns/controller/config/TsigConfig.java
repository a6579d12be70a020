package io.haddns.controller.config;

import java.util.Objects;

/**
 * A TSIG key (RFC 8945).
 *
 * @param algorithm lower case, no trailing dot: one of hmac-md5, hmac-sha1, hmac-sha224,
 *     hmac-sha256, hmac-sha384, hmac-sha512 ({@code org.xbill.DNS.TSIG.algorithmToName} accepts it)
 * @param secret the decoded key bytes (the file or variable holds base64)
 */
public record TsigConfig(String name, String algorithm, Secret secret) {
  public TsigConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(secret, "secret");
  }
}
