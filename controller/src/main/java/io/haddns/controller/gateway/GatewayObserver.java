package io.haddns.controller.gateway;

/**
 * Told the outcome of every gateway request, e.g. to count them in metrics. Called on the gateway's
 * I/O or worker threads, possibly concurrently: implementations must be thread-safe and must not
 * block.
 */
public interface GatewayObserver {
  GatewayObserver NOOP = (endpoint, outcome) -> {};

  /** The request endpoints. */
  enum Endpoint {
    AGENT_REPORT("report"),
    DYNDNS2("dyndns2");

    private final String label;

    Endpoint(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * @param outcome a bounded label: a {@link ReportStatus#label()} for agent reports, the dyndns2
   *     answer code ({@code good}, {@code nochg}, {@code badauth}, …) for dyndns2
   */
  void handled(Endpoint endpoint, String outcome);

  /**
   * {@code events} audit events were not written to the audit trail: the gateway's audit queue was
   * full, or ZooKeeper did not take them.
   */
  default void auditShed(int events) {}
}
