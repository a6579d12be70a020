package io.haddns.controller.gateway;

import io.haddns.controller.net.IpLiteral;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The bytes an agent signs (docs/agent-protocol.md, "Canonical form"): seven lines, each ended by
 * LF, UTF-8.
 */
final class CanonicalForm {
  static final String VERSION_LINE = "haddns-report-v1";

  private CanonicalForm() {}

  static byte[] of(AgentReport r) {
    return text(r).getBytes(StandardCharsets.UTF_8);
  }

  static String text(AgentReport r) {
    String addresses =
        r.addresses().stream()
            .sorted(CanonicalForm::compare)
            .map(IpLiteral::canonical)
            .collect(Collectors.joining(","));
    return String.join(
            "\n",
            VERSION_LINE,
            r.agent(),
            r.line(),
            r.family().label(),
            addresses,
            Long.toString(r.observedAt()),
            Long.toString(r.sequence()))
        + "\n";
  }

  /** Sorts by network-order bytes, as the canonical form does. */
  static int compare(InetAddress a, InetAddress b) {
    return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
  }
}
