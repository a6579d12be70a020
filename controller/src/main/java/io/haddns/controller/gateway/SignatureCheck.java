package io.haddns.controller.gateway;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Ed25519 (RFC 8032) verification of a report's canonical form with the JDK's provider. */
final class SignatureCheck {
  private SignatureCheck() {}

  static boolean verifies(AgentReport report, PublicKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(CanonicalForm.of(report));
      return s.verify(report.signature());
    } catch (GeneralSecurityException e) {
      // A malformed signature or a key of another algorithm: it does not verify.
      return false;
    }
  }
}
