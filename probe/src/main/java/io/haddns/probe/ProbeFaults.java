package io.haddns.probe;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises the errors of the local socket layer that mean the prober could not probe, as opposed
 * to an answer (or silence) of the target. Used by every prober on its exceptions.
 */
public final class ProbeFaults {
  private ProbeFaults() {}

  /** The fault {@code e} is, when its message is one of the local resource or permission errors. */
  public static Optional<ProbeResult.Fault> of(IOException e) {
    String message = String.valueOf(e.getMessage());
    return kindOf(message)
        .map(k -> new ProbeResult.Fault(k, e.getClass().getSimpleName() + ": " + message));
  }

  /** As {@link #of(IOException)}, for an error message (strerror text) alone. */
  public static Optional<ProbeResult.FaultKind> kindOf(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("too many open files")) {
      return Optional.of(ProbeResult.FaultKind.DESCRIPTORS);
    }
    if (m.contains("no buffer space")) {
      return Optional.of(ProbeResult.FaultKind.BUFFERS);
    }
    if (m.contains("cannot allocate memory") || m.contains("out of memory")) {
      return Optional.of(ProbeResult.FaultKind.MEMORY);
    }
    if (m.contains("operation not permitted") || m.contains("permission denied")) {
      return Optional.of(ProbeResult.FaultKind.PERMISSION);
    }
    if (m.contains("cannot assign requested address") || m.contains("address already in use")) {
      return Optional.of(ProbeResult.FaultKind.SOCKET);
    }
    return Optional.empty();
  }

  /** The fault for an errno of the socket layer, or empty when it may come from the target. */
  public static Optional<ProbeResult.FaultKind> kindOfErrno(int errno) {
    return switch (errno) {
      case 23, 24 -> Optional.of(ProbeResult.FaultKind.DESCRIPTORS); // ENFILE, EMFILE
      case 105 -> Optional.of(ProbeResult.FaultKind.BUFFERS); // ENOBUFS
      case 12 -> Optional.of(ProbeResult.FaultKind.MEMORY); // ENOMEM
      case 1, 13 -> Optional.of(ProbeResult.FaultKind.PERMISSION); // EPERM, EACCES
      case 98, 99 -> Optional.of(ProbeResult.FaultKind.SOCKET); // EADDRINUSE, EADDRNOTAVAIL
      default -> Optional.empty();
    };
  }

  /**
   * The fault of a probe that waited {@code waitedNanos} on this host before it could be sent, when
   * that is more than half its timeout: sent so late, a healthy target's answer could miss the
   * deadline, so the probe says nothing of the target.
   */
  public static Optional<ProbeResult.Fault> sentTooLate(
      long waitedNanos, long timeoutNanos, String what) {
    if (waitedNanos <= timeoutNanos / 2) {
      return Optional.empty();
    }
    return Optional.of(
        new ProbeResult.Fault(
            ProbeResult.FaultKind.STARVED,
            what
                + " not sent within half its timeout ("
                + waitedNanos / 1_000_000
                + " ms): the sender fell behind"));
  }
}
