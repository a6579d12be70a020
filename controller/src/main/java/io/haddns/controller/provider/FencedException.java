package io.haddns.controller.provider;

/**
 * The provider holds a newer leader's fence: this writer's epoch is stale. The caller must stop
 * acting as leader and must not retry.
 */
public final class FencedException extends ProviderException {
  public FencedException(String message) {
    super(message, null);
  }
}
