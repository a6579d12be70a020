package io.haddns.controller.admin;

import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.store.AuditEvent;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the admin server needs to authenticate and audit operators.
 *
 * @param cluster the cluster's name: operator tokens of other clusters are refused by it
 * @param auditSink appends one event to the audit trail (e.g. {@code store::audit}); may block
 */
public record AdminSecurity(
    String cluster,
    String nodeId,
    OperatorsConfig operators,
    Consumer<AuditEvent> auditSink,
    InstantSource clock) {
  public AdminSecurity {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(operators, "operators");
    Objects.requireNonNull(auditSink, "auditSink");
    Objects.requireNonNull(clock, "clock");
  }

  /** No operator credentials and no audit trail: reads open, mutations refused. */
  public static AdminSecurity open() {
    return new AdminSecurity("", "", OperatorsConfig.none(), e -> {}, InstantSource.system());
  }
}
