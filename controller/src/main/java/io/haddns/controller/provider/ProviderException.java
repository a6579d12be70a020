package io.haddns.controller.provider;

/**
 * A provider call failed. The subclass says what the caller should do: retry later ({@link
 * TransientProviderException}), surface and alert ({@link PermanentProviderException}), or stop
 * acting as leader ({@link FencedException}). Messages never contain secrets.
 */
public abstract sealed class ProviderException extends Exception
    permits TransientProviderException, PermanentProviderException, FencedException {

  protected ProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
