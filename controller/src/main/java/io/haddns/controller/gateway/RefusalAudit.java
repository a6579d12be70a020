package io.haddns.controller.gateway;

import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.store.AuditEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.InstantSource;
import java.util.function.Consumer;

/**
 * Audits the requests and connections the gateway refuses before an endpoint reads them: source
 * rate limits, oversized bodies, saturated workers, unknown paths and methods, timeouts, connection
 * caps, internal errors. The event names the source, the path (never the query, which may carry
 * credentials), the outcome and the reason, and nothing else, so a flood costs little; events go
 * through the non-blocking {@link AuditQueue}, which sheds and counts under overload.
 *
 * <p>Thread-safe; never blocks.
 */
final class RefusalAudit {
  private final Consumer<AuditEvent> audit;
  private final InstantSource clock;
  private final String nodeId;

  RefusalAudit(Consumer<AuditEvent> audit, InstantSource clock, String nodeId) {
    this.audit = audit;
    this.clock = clock;
    this.nodeId = nodeId;
  }

  /**
   * @param path the request path, or empty when no request was read
   * @param outcome a bounded label ({@code rate-limited}, {@code abuse}, {@code header-timeout}, …)
   */
  void refused(String path, SocketAddress peer, String outcome, String reason) {
    String detail =
        "source="
            + source(peer)
            + (path.isEmpty() ? "" : " path=" + printable(path))
            + " outcome="
            + outcome
            + " reason="
            + reason;
    audit.accept(new AuditEvent(clock.instant(), nodeId, type(path), detail));
  }

  private static String type(String path) {
    GatewayObserver.Endpoint endpoint = GatewayHandler.ENDPOINTS.get(path);
    if (endpoint == null) {
      return "gateway-rejected";
    }
    return switch (endpoint) {
      case AGENT_REPORT -> "address-report-rejected";
      case DYNDNS2 -> "dyndns2-rejected";
    };
  }

  static String source(SocketAddress peer) {
    if (peer instanceof InetSocketAddress a && a.getAddress() != null) {
      return IpLiteral.canonical(a.getAddress());
    }
    return String.valueOf(peer);
  }

  /** At most 200 printable ASCII characters: client input is never copied raw into the audit. */
  static String printable(String s) {
    String printable = s.replaceAll("[^\\x21-\\x7e]", "?");
    return printable.length() > 200 ? printable.substring(0, 200) + "…" : printable;
  }
}
