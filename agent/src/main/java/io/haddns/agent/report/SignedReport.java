package io.haddns.agent.report;

import java.util.Base64;
import java.util.Objects;

/**
 * A report with its Ed25519 signature over {@link ReportCanonicalForm}.
 *
 * @param signature standard base64 (with padding) of the 64-byte signature
 */
public record SignedReport(Report report, String signature) {
  public SignedReport {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(signature, "signature");
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature is not standard base64", e);
    }
    if (raw.length != 64) {
      throw new IllegalArgumentException("signature must be 64 bytes, got " + raw.length);
    }
  }

  public byte[] signatureBytes() {
    return Base64.getDecoder().decode(signature);
  }

  @Override
  public String toString() {
    // Signatures stay out of logs (STYLE: never log signatures).
    return "SignedReport[" + report + "]";
  }
}
