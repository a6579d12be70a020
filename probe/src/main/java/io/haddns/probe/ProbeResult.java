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
