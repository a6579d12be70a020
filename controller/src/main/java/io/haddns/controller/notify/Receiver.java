package io.haddns.controller.notify;

import java.util.List;

/**
 * Somewhere notifications are sent (docs/notifications.md, "Receivers").
 *
 * <p>{@link #deliver} blocks for at most the receiver's configured timeout (plus connection set-up
 * bounded by the same), reads at most a bounded part of the answer, never throws for what the
 * receiver answers, and never puts secrets in the result's reason. Safe to call from one thread at
 * a time; implementations keep no per-call state.
 */
public interface Receiver {
  String name();

  /** The type as configured: webhook, slack, dingtalk, feishu, email. */
  String type();

  /**
   * Sends one message holding {@code batch} (one notification, or several about one subject,
   * summarised), every event id included.
   */
  DeliveryResult deliver(List<Notification> batch);
}
