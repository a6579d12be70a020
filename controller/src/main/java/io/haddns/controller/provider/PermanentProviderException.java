package io.haddns.controller.provider;

/**
 * Bad key, NOTAUTH, REFUSED by policy, unknown zone: retrying will not help until config changes.
 */
public final class PermanentProviderException extends ProviderException {
  public PermanentProviderException(String message, Throwable cause) {
    super(message, cause);
  }

  public PermanentProviderException(String message) {
    super(message, null);
  }
}
