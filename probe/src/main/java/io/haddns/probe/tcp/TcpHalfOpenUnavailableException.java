package io.haddns.probe.tcp;

/** TCP half-open probing cannot run here; the message says why and what to grant. */
public final class TcpHalfOpenUnavailableException extends RuntimeException {
  public TcpHalfOpenUnavailableException(String message) {
    super(message);
  }
}
