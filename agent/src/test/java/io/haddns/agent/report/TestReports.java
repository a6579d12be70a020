package io.haddns.agent.report;

import java.security.KeyPair;
import java.util.List;

/** A signed report for tests, under a fresh key. */
final class TestReports {
  private static final KeyPair KEYS = Ed25519Keys.generate();

  private TestReports() {}

  static SignedReport signed(long sequence) {
    Report report =
        new Report(
            "office-gw",
            "telecom",
            AddressFamily.IPV4,
            List.of(IpAddress.parse("198.51.100.7")),
            1_795_320_000_123L,
            sequence);
    return new ReportSigner(KEYS.getPrivate()).sign(report);
  }
}
