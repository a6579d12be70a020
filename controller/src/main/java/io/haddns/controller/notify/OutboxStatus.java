package io.haddns.controller.notify;

import java.util.List;

/**
 * The outbox as this node last looked at it (every node looks, only the leader delivers).
 *
 * @param pending notifications not yet delivered to every receiver
 * @param deadLetters dead letters kept
 * @param recentDeadLetters the newest few, newest last
 */
public record OutboxStatus(
    boolean enabled,
    int pending,
    int deadLetters,
    List<NotificationCodec.DeadLetter> recentDeadLetters) {
  public OutboxStatus {
    recentDeadLetters = List.copyOf(recentDeadLetters);
  }

  public static OutboxStatus disabled() {
    return new OutboxStatus(false, 0, 0, List.of());
  }
}
