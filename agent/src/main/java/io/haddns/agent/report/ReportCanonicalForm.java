package io.haddns.agent.report;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The bytes an agent signs (docs/agent-protocol.md, "Canonical form"): seven lines, each ended by
 * {@code \n}, UTF-8:
 *
 * <pre>
 * haddns-report-v1
 * agent
 * line
 * family
 * addresses (canonical literals, sorted by bytes, joined by ",")
 * observedAt (decimal milliseconds)
 * sequence (decimal)
 * </pre>
 */
public final class ReportCanonicalForm {
  public static final String VERSION_LINE = "haddns-report-v1";

  private ReportCanonicalForm() {}

  /** The canonical text; {@link Report} has already sorted its addresses. */
  public static String text(Report report) {
    String addresses =
        report.addresses().stream().map(IpAddress::canonical).collect(Collectors.joining(","));
    return VERSION_LINE
        + '\n'
        + report.agent()
        + '\n'
        + report.line()
        + '\n'
        + report.family().wireName()
        + '\n'
        + addresses
        + '\n'
        + report.observedAtMillis()
        + '\n'
        + report.sequence()
        + '\n';
  }

  /** The UTF-8 bytes of {@link #text}, which are what Ed25519 signs. */
  public static byte[] bytes(Report report) {
    return text(report).getBytes(StandardCharsets.UTF_8);
  }
}
