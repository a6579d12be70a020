package io.haddns.controller.notify;

import java.time.Duration;

/**
 * Told of every delivery attempt, on the dispatcher's thread; must not block. Keeps the dispatcher
 * free of any metrics library.
 */
public interface DeliveryObserver {
  DeliveryObserver NOOP = (receiver, type, outcome, events, took) -> {};

  /**
   * @param outcome delivered, retried, rejected or dead (ran out of attempts)
   * @param events notifications in the message
   */
  void attempted(String receiver, String type, String outcome, int events, Duration took);
}
