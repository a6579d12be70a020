package io.haddns.controller.provider;

/** Timeouts, refused connections, SERVFAIL, rate limits: retry with backoff. */
public final class TransientProviderException extends ProviderException {
  public TransientProviderException(String message, Throwable cause) {
    super(message, cause);
  }

  public TransientProviderException(String message) {
    super(message, null);
  }
}
