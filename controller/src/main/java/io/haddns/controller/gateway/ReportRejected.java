package io.haddns.controller.gateway;

/** A report refused before it reached the store; the detail never holds a secret. */
final class ReportRejected extends Exception {
  private final ReportStatus status;

  ReportRejected(ReportStatus status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  ReportStatus status() {
    return status;
  }
}
