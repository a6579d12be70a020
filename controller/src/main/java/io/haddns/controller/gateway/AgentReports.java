package io.haddns.controller.gateway;

import io.haddns.controller.config.AgentConfig;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.store.AddressCommit;
import io.haddns.controller.store.AddressSubmission;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.CommitOutcomeUnknownException;
import io.haddns.controller.store.LineAddressStore;
import io.haddns.controller.store.StoreUnavailableException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles {@code POST /api/v1/report} (docs/agent-protocol.md): parse strictly, find the agent,
 * verify its Ed25519 signature, check scope (line and address policy), freshness and rate, then
 * commit through the store's compare-and-set; {@link ReportStatus#ACCEPTED} only once ZooKeeper has
 * committed. Every outcome is appended to the audit trail (asynchronously, on {@code
 * auditExecutor}) without the signature.
 *
 * <p>{@link #handle} verifies on the caller's thread (about 0.1 ms of CPU): call it from a worker
 * thread, never an event loop; it does not wait for ZooKeeper. Thread-safe.
 */
final class AgentReports {
  private static final Logger log = LoggerFactory.getLogger(AgentReports.class);
  private static final String CHANGED = "committed";

  /**
   * How far a report's {@code sequence}, read as Unix milliseconds (the agent signs {@code max(last
   * + 1, now in ms)}), may lie beyond this node's clock plus the accepted clock skew: one report
   * with a sequence near 2^63 would otherwise refuse every later report of its agent as stale
   * (docs/agent-protocol.md, "Sequence").
   */
  static final Duration MAX_SEQUENCE_AHEAD = Duration.ofDays(1);

  private final GatewayCredentials credentials;
  private final LineAddressStore store;
  private final Consumer<AuditEvent> audit;
  private final Executor auditExecutor;
  private final InstantSource clock;
  private final String nodeId;
  private final Duration clockSkew;
  private final RateLimits perAgent;
  private final ReportParser parser = new ReportParser();

  AgentReports(
      GatewayCredentials credentials,
      LineAddressStore store,
      Consumer<AuditEvent> audit,
      Executor auditExecutor,
      InstantSource clock,
      String nodeId,
      Duration clockSkew,
      RateLimits perAgent) {
    this.credentials = credentials;
    this.store = store;
    this.audit = audit;
    this.auditExecutor = auditExecutor;
    this.clock = clock;
    this.nodeId = nodeId;
    this.clockSkew = clockSkew;
    this.perAgent = perAgent;
  }

  /**
   * Parses, verifies and checks {@code body} on the calling thread (CPU only, never blocking), then
   * submits it to the store. The future completes once ZooKeeper committed or refused the report,
   * or at once when it was refused before; exceptionally only on an unexpected fault (the gateway
   * answers 500). A future that waits for ZooKeeper completes on {@code completion} (the
   * connection's event loop), never on the store's commit thread.
   */
  CompletableFuture<ReportResponse> handle(byte[] body, String source, Executor completion) {
    AgentReport report;
    try {
      report = parser.parse(body);
    } catch (ReportRejected e) {
      return CompletableFuture.completedFuture(
          finish(
              null, source, new ReportResponse(e.status(), OptionalLong.empty(), e.getMessage())));
    }
    AddressSubmission submission;
    try {
      submission = admit(report);
    } catch (ReportRejected e) {
      return CompletableFuture.completedFuture(finish(report, source, refused(report, e)));
    }
    return store
        .submitLineAddress(submission)
        .handleAsync(
            (commit, error) -> finish(report, source, outcome(report, commit, error)),
            orInline(completion));
  }

  /**
   * {@code completion}, or the completing thread when it refuses (an event loop shutting down): the
   * outcome is still audited, and the store's commit thread never gets the refusal thrown at it.
   */
  private static Executor orInline(Executor completion) {
    return task -> {
      try {
        completion.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
  }

  private static ReportResponse refused(AgentReport r, ReportRejected e) {
    return new ReportResponse(e.status(), OptionalLong.of(r.sequence()), e.getMessage());
  }

  private AddressSubmission admit(AgentReport r) throws ReportRejected {
    AgentConfig agent =
        credentials
            .agent(r.agent())
            .orElseThrow(
                () -> new ReportRejected(ReportStatus.UNKNOWN_AGENT, "agent is not configured"));
    if (!credentials.signatures(agent.id()).verifies(r)) {
      throw new ReportRejected(
          ReportStatus.BAD_SIGNATURE, "signature does not verify with the agent's public key");
    }
    if (!agent.lines().contains(r.line())) {
      throw new ReportRejected(
          ReportStatus.FORBIDDEN_LINE, "agent may not report line " + r.line());
    }
    AddressPolicy policy = credentials.addressPolicy(agent, r.line());
    for (InetAddress a : r.addresses()) {
      Optional<String> refusal = policy.refusal(a);
      if (refusal.isPresent()) {
        throw new ReportRejected(ReportStatus.FORBIDDEN_ADDRESS, refusal.get());
      }
    }
    Instant now = clock.instant();
    Instant observed = Instant.ofEpochMilli(r.observedAt());
    if (Duration.between(now, observed).abs().compareTo(clockSkew) > 0) {
      throw new ReportRejected(
          ReportStatus.STALE,
          "observedAt " + observed + " is more than " + clockSkew + " from this node's " + now);
    }
    long highest = now.toEpochMilli() + clockSkew.toMillis() + MAX_SEQUENCE_AHEAD.toMillis();
    if (r.sequence() > highest) {
      throw new ReportRejected(
          ReportStatus.SEQUENCE_AHEAD,
          "sequence "
              + r.sequence()
              + " is more than "
              + MAX_SEQUENCE_AHEAD
              + " beyond this node's clock in milliseconds plus the clock skew (at most "
              + highest
              + "); the agent restarts its sequence from its clock");
    }
    if (!perAgent.tryAcquire(r.agent())) {
      throw new ReportRejected(ReportStatus.RATE_LIMITED, "too many reports from this agent");
    }
    return new AddressSubmission(
        r.line(),
        r.family(),
        r.addresses(),
        observed,
        OptionalLong.of(r.sequence()),
        r.agent(),
        nodeId);
  }

  /**
   * The answer to a report the store committed, refused or failed: a {@link
   * CommitOutcomeUnknownException} is {@link ReportStatus#OUTCOME_UNKNOWN} (it may have committed;
   * the agent retries the very same report, which is then acknowledged if it did), any other {@link
   * StoreUnavailableException} {@link ReportStatus#UNAVAILABLE} (not committed); anything else is
   * an unexpected fault, rethrown.
   */
  static ReportResponse outcome(AgentReport r, AddressCommit commit, Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
      if (cause instanceof CommitOutcomeUnknownException e) {
        return refused(
            r,
            new ReportRejected(
                ReportStatus.OUTCOME_UNKNOWN,
                "outcome unknown: retry the same report (" + e.getMessage() + ")"));
      }
      if (cause instanceof StoreUnavailableException e) {
        return refused(
            r, new ReportRejected(ReportStatus.UNAVAILABLE, "not committed: " + e.getMessage()));
      }
      throw new CompletionException(cause);
    }
    return switch (commit) {
      case AddressCommit.Committed c ->
          new ReportResponse(
              ReportStatus.ACCEPTED,
              OptionalLong.of(r.sequence()),
              c.changed() ? CHANGED : "committed (addresses unchanged)");
      case AddressCommit.Stale s ->
          refused(
              r,
              new ReportRejected(
                  ReportStatus.STALE,
                  "sequence "
                      + r.sequence()
                      + " is not greater than the last committed "
                      + s.lastSequence()));
    };
  }

  private ReportResponse finish(AgentReport r, String source, ReportResponse response) {
    String detail =
        (r == null
                ? "agent=? "
                : "agent="
                    + r.agent()
                    + " line="
                    + r.line()
                    + " family="
                    + r.family().label()
                    + " sequence="
                    + r.sequence()
                    + " addresses="
                    + r.addresses().stream()
                        .map(IpLiteral::canonical)
                        .collect(Collectors.joining(","))
                    + " ")
            + "source="
            + source
            + " outcome="
            + response.status().label()
            + " reason="
            + response.detail();
    boolean accepted = response.status() == ReportStatus.ACCEPTED;
    // A report that changed addresses is news; a confirmation or a refusal is routine (audit keeps
    // every one) and at thousands per second would drown the log.
    if (accepted && CHANGED.equals(response.detail())) {
      log.info("agent report {}", detail);
    } else {
      log.debug("agent report {}", detail);
    }
    AuditEvent event =
        new AuditEvent(
            clock.instant(),
            nodeId,
            accepted ? "address-report" : "address-report-rejected",
            detail);
    auditExecutor.execute(() -> append(event));
    return response;
  }

  private void append(AuditEvent event) {
    try {
      audit.accept(event);
    } catch (StoreUnavailableException e) {
      log.warn("audit type={} not written: {}", event.type(), e.getMessage());
    }
  }
}
