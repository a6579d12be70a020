package io.haddns.controller.gateway;

/** The outcomes of {@code POST /api/v1/report} (docs/agent-protocol.md, "Response"). */
public enum ReportStatus {
  ACCEPTED(200, "accepted"),
  MALFORMED(400, "malformed"),
  UNKNOWN_AGENT(401, "unknown-agent"),
  BAD_SIGNATURE(401, "bad-signature"),
  FORBIDDEN_LINE(403, "forbidden-line"),
  FORBIDDEN_ADDRESS(403, "forbidden-address"),
  STALE(409, "stale"),
  SEQUENCE_AHEAD(422, "sequence-ahead"),
  TOO_LARGE(413, "too-large"),
  RATE_LIMITED(429, "rate-limited"),
  UNAVAILABLE(503, "unavailable"),
  OUTCOME_UNKNOWN(503, "unknown"),
  INTERNAL_ERROR(500, "internal-error");

  private final int httpStatus;
  private final String label;

  ReportStatus(int httpStatus, String label) {
    this.httpStatus = httpStatus;
    this.label = label;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The body's {@code status} value. */
  public String label() {
    return label;
  }
}
