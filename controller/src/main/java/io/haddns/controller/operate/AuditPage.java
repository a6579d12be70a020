package io.haddns.controller.operate;

import io.haddns.controller.store.AuditEvent;
import java.util.List;
import java.util.Optional;

/**
 * One page of audit events, newest first.
 *
 * @param next the cursor for the following (older) page; empty on the last page
 */
public record AuditPage(List<AuditEvent> events, Optional<String> next) {
  public AuditPage {
    events = List.copyOf(events);
  }
}
