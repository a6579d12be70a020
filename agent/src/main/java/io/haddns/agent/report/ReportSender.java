package io.haddns.agent.report;

/** Delivers a signed report to the controller cluster; blocks until an outcome is known. */
@FunctionalInterface
public interface ReportSender {
  Delivery send(SignedReport signed);
}
