package io.haddns.agent.report;

import java.net.URI;

/** The outcome of {@link ControllerClient#send}. */
public sealed interface Delivery {

  /** A node committed the report and answered 200. */
  record Acknowledged(URI endpoint, String status) implements Delivery {}

  /**
   * A node refused the report for good (4xx other than 429): resending the same report cannot
   * succeed. {@code status} is the body's {@code status} ({@code stale}, {@code bad-signature}, …)
   * or empty when the body was not the gateway's JSON.
   */
  record Rejected(URI endpoint, int httpStatus, String status, String detail) implements Delivery {}

  /** No node took it within the attempt budget (connection errors, 429, 503, other 5xx). */
  record Undelivered(int attempts, String lastError) implements Delivery {}
}
