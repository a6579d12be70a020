package io.haddns.controller.provider.rfc2136;

import io.haddns.controller.config.TsigConfig;
import java.time.InstantSource;
import java.time.ZoneOffset;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/** Builds the dnsjava TSIG signer (RFC 8945) for a configured key, checking it without I/O. */
final class TsigSigner {
  private TsigSigner() {}

  /**
   * @throws IllegalArgumentException naming the zone when the algorithm is unknown to dnsjava, the
   *     key name is not a DNS name, or the secret is empty
   */
  // TSIG.nameToAlgorithm is deprecated, but the one constructor that takes a clock needs the key's
  // JCA algorithm name, and dnsjava offers no other public way to it.
  @SuppressWarnings("deprecation")
  static TSIG create(String zone, TsigConfig config, InstantSource clock) {
    Name algorithm;
    try {
      algorithm = TSIG.algorithmToName(config.algorithm());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "zone "
              + zone
              + ": unknown TSIG algorithm '"
              + config.algorithm()
              + "' (known: hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384,"
              + " hmac-sha512)",
          e);
    }
    Name keyName;
    try {
      keyName = Name.fromString(config.name(), Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(
          "zone " + zone + ": TSIG key name '" + config.name() + "' is not a DNS name", e);
    }
    if (config.name().isBlank()) {
      throw new IllegalArgumentException("zone " + zone + ": TSIG key name is empty");
    }
    byte[] secret = config.secret().value();
    if (secret.length == 0) {
      throw new IllegalArgumentException(
          "zone "
              + zone
              + ": TSIG secret of key '"
              + config.name()
              + "' from "
              + config.secret().source()
              + " is empty");
    }
    SecretKeySpec key = new SecretKeySpec(secret, TSIG.nameToAlgorithm(algorithm));
    return new TSIG(algorithm, keyName, key, clock.withZone(ZoneOffset.UTC));
  }
}
