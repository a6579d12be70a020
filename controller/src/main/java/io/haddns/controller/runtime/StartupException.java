package io.haddns.controller.runtime;

/** A node could not start (port in use, ICMP not permitted, provider not available, …). */
public final class StartupException extends Exception {
  StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  StartupException(String message) {
    super(message);
  }
}
