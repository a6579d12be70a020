package io.haddns.controller.gateway;

import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 (RFC 8032 §5.1.7) verification of reports' canonical form under one agent's key.
 *
 * <p>Uses Bouncy Castle's RFC 8032 implementation directly, not the JDK provider: on the gateway
 * verification is most of a report's CPU, and the JDK's took about 0.75–1 ms per signature on the
 * benchmark machine against about 0.1 ms here (docs/benchmarks.md, "Agent reports"). The key is
 * decoded and fully validated (on the curve, not of small order) once, when the configuration is
 * loaded ({@link GatewayCredentials}), not per report. Signatures are standard Ed25519 either way;
 * agents still sign with the JDK.
 *
 * <p>Immutable and thread-safe.
 */
final class SignatureCheck {
  /**
   * The fixed header of an Ed25519 X.509 SubjectPublicKeyInfo (RFC 8410 §4: SEQUENCE, the
   * id-Ed25519 OID 1.3.101.112, a BIT STRING of 32 bytes); the raw key follows it.
   */
  private static final byte[] SPKI_HEADER = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final int SPKI_LENGTH = SPKI_HEADER.length + Ed25519.PUBLIC_KEY_SIZE;

  /** Null when the key is not a valid Ed25519 key: then no signature verifies. */
  private final Ed25519.PublicPoint point;

  private SignatureCheck(Ed25519.PublicPoint point) {
    this.point = point;
  }

  /** Decodes {@code key} once; a key of another algorithm or off the curve verifies nothing. */
  static SignatureCheck of(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (spki == null
        || spki.length != SPKI_LENGTH
        || !Arrays.equals(spki, 0, SPKI_HEADER.length, SPKI_HEADER, 0, SPKI_HEADER.length)) {
      return new SignatureCheck(null);
    }
    return new SignatureCheck(Ed25519.validatePublicKeyFullExport(spki, SPKI_HEADER.length));
  }

  static boolean verifies(AgentReport report, PublicKey key) {
    return of(key).verifies(report);
  }

  boolean verifies(AgentReport report) {
    byte[] signature = report.signature();
    if (point == null || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    byte[] message = CanonicalForm.of(report);
    // Bouncy Castle refuses non-canonical signature encodings by returning false.
    return Ed25519.verify(signature, 0, point, message, 0, message.length);
  }
}
