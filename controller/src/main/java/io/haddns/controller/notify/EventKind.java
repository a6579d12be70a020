package io.haddns.controller.notify;

import java.util.Arrays;
import java.util.Optional;

/** What a notification tells of; the label is what configuration and payloads use. */
public enum EventKind {
  /** A line went down or came back up. */
  LINE_HEALTH("line-health"),
  /**
   * An applied record set changed (a failover moves a record from one line's address to another).
   */
  RECORD_CHANGED("record-changed"),
  /** A node began or lost its leader term. */
  LEADERSHIP("leadership"),
  /** A zone's apply failed permanently. */
  APPLY_FAILED("apply-failed"),
  /** A zone applied again after a failure. */
  APPLY_RECOVERED("apply-recovered"),
  /** A configured record exists at the provider but was not written by haddns. */
  FOREIGN_RECORD("foreign-record"),
  /** A reported address was refused by its line's policy. */
  ADDRESS_IGNORED("address-ignored"),
  /** A failover drill ended: passed, failed or aborted (docs/operations.md, "Failover drills"). */
  DRILL_RESULT("drill-result"),
  /**
   * Refusals of one kind from one gateway source passed the threshold in a window
   * (docs/notifications.md, "Gateway abuse").
   */
  GATEWAY_ABUSE("gateway-abuse"),
  /** A test message sent by an operator ({@code haddns ctl notify test}). */
  TEST("test");

  private final String label;

  EventKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Optional<EventKind> fromLabel(String label) {
    return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
  }
}
