package io.haddns.agent.report;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs reports with the agent's Ed25519 key. Ed25519 is deterministic: the same report and key
 * always give the same signature. Thread-safe (a {@link Signature} per call).
 */
public final class ReportSigner {
  private final PrivateKey key;

  public ReportSigner(PrivateKey key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  public SignedReport sign(Report report) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      signature.update(ReportCanonicalForm.bytes(report));
      return new SignedReport(report, Base64.getEncoder().encodeToString(signature.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed; is the key an Ed25519 key?", e);
    }
  }
}
