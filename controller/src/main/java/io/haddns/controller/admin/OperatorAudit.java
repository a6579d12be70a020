package io.haddns.controller.admin;

import io.haddns.controller.auth.Principal;
import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.StoreUnavailableException;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the admin API's audit events: every mutating call with the credential's name (never its
 * secret), role and the source address, and every failed authentication with its reason. Events are
 * handed to {@code executor}, so a caller never waits for ZooKeeper; an event that cannot be queued
 * or written is logged at WARN (without the event's detail) and dropped. Thread-safe.
 */
public final class OperatorAudit {
  /** Audit type of a failed authentication on the admin port. */
  public static final String AUTH_FAILED = "auth-failed";

  private static final Logger log = LoggerFactory.getLogger(OperatorAudit.class);

  private final Consumer<AuditEvent> sink;
  private final Executor executor;
  private final InstantSource clock;
  private final String nodeId;

  /**
   * @param sink appends one event to the audit trail (e.g. {@code store::audit}); may block
   */
  public OperatorAudit(
      Consumer<AuditEvent> sink, Executor executor, InstantSource clock, String nodeId) {
    this.sink = sink;
    this.executor = executor;
    this.clock = clock;
    this.nodeId = nodeId;
  }

  /**
   * Audits a mutating call: {@code type} names what was done ({@code line-override}, …), {@code
   * detail} what it was done to ({@code line=home state=down until=…}); who and from where are
   * added here.
   */
  public void mutation(ApiRequest request, String type, String detail) {
    write(type, by(request.principal(), request.source()) + (detail.isEmpty() ? "" : " " + detail));
  }

  /** Audits a refused authentication: the reason and, when known, the credential's name. */
  void authFailed(InetAddress source, String path, Optional<String> name, String reason) {
    write(
        AUTH_FAILED,
        "source="
            + IpLiteral.canonical(source)
            + " path="
            + DecodeFailures.printable(path)
            + name.map(n -> " credential=" + DecodeFailures.printable(n)).orElse("")
            + " reason="
            + reason);
  }

  static String by(Principal principal, InetAddress source) {
    return "credential="
        + principal.name()
        + " role="
        + principal.role().label()
        + " via="
        + principal.kind()
        + " source="
        + IpLiteral.canonical(source);
  }

  private void write(String type, String detail) {
    AuditEvent event = new AuditEvent(clock.instant(), nodeId, type, detail);
    try {
      executor.execute(
          () -> {
            try {
              sink.accept(event);
            } catch (StoreUnavailableException e) {
              log.warn("audit type={} not written: {}", type, e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      log.warn("audit type={} dropped: audit queue full", type);
    }
  }
}
