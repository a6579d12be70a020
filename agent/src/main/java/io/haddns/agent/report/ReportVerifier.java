package io.haddns.agent.report;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Verifies a signed report against an agent's public key: the check the controller makes, kept here
 * so the agent's tests and the test vectors can exercise both directions. Thread-safe.
 */
public final class ReportVerifier {
  private final PublicKey key;

  public ReportVerifier(PublicKey key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  /** Whether the signature verifies over the report's canonical form. */
  public boolean verify(SignedReport signed) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(key);
      signature.update(ReportCanonicalForm.bytes(signed.report()));
      return signature.verify(signed.signatureBytes());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
