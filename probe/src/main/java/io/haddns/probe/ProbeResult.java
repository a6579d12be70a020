package io.haddns.probe;

import java.time.Duration;
import java.util.Objects;

/** Outcome of one probe against one target. */
public sealed interface ProbeResult {

  /** The target answered (echo reply, or TCP handshake completed) after {@code rtt}. */
  record Success(Duration rtt) implements ProbeResult {
    public Success {
      Objects.requireNonNull(rtt, "rtt");
    }
  }

  /** The target did not answer in time or refused; {@code reason} is a bounded label. */
  record Failure(FailureReason reason, String detail) implements ProbeResult {
    public Failure {
      Objects.requireNonNull(reason, "reason");
      detail = detail == null ? "" : detail;
    }
  }

  /**
   * The prober itself could not probe: it had no file descriptor, buffer or memory, the local
   * firewall or permissions refused the socket, or it was too late to judge the answer. Says
   * nothing about the target, so it never counts toward a line's fall or rise
   * (docs/architecture.md, "Prober faults").
   */
  record Fault(FaultKind kind, String detail) implements ProbeResult {
    public Fault {
      Objects.requireNonNull(kind, "kind");
      detail = detail == null ? "" : detail;
    }
  }

  /** Bounded set of prober fault causes, used as a metrics label. */
  enum FaultKind {
    /** No file descriptor left (EMFILE, ENFILE). */
    DESCRIPTORS,
    /** No socket buffer space (ENOBUFS). */
    BUFFERS,
    /** The kernel could not allocate memory (ENOMEM). */
    MEMORY,
    /** The local firewall or permissions refused the socket (EPERM, EACCES). */
    PERMISSION,
    /** The socket could not be created, configured or bound (no local port left, for instance). */
    SOCKET,
    /** The prober or the engine ran late: a silent prober, or a round started or ended late. */
    STARVED,
    /** The prober is closed or broke its contract (threw, failed its future). */
    UNAVAILABLE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Bounded set of failure causes, used as a metrics label. */
  enum FailureReason {
    TIMEOUT,
    REFUSED,
    UNREACHABLE,
    ERROR;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  default boolean isSuccess() {
    return this instanceof Success;
  }
}
