package io.haddns.agent.report;

import java.time.Duration;

/** Waits; a seam so tests run backoff without sleeping. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
