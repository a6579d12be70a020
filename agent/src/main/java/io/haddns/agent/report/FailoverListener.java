package io.haddns.agent.report;

import java.net.URI;

/** Told when {@link ControllerClient} moved from one controller endpoint to another. */
@FunctionalInterface
public interface FailoverListener {
  FailoverListener NONE = (from, to) -> {};

  /**
   * A report was acknowledged by {@code to} after {@code from}, the endpoint tried first (the one
   * that acknowledged last), failed or refused to take it for now.
   */
  void failedOver(URI from, URI to);
}
