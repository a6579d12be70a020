package io.haddns.controller.notify;

import java.util.List;
import java.util.Optional;

/** What the admin API asks of notifications: receivers, outbox status, test messages. */
public interface Notifier {
  /** Receivers as configured: name and type, in configuration order. */
  List<ReceiverInfo> receivers();

  /** The outbox as this node last looked at it. */
  OutboxStatus status();

  /**
   * Sends a test message to {@code receiver} now, outside the outbox; blocks for at most the
   * receiver's timeout. Empty when there is no such receiver.
   */
  Optional<DeliveryResult> test(String receiver, String requestedBy);

  /** A configured receiver. */
  record ReceiverInfo(String name, String type) {}
}
