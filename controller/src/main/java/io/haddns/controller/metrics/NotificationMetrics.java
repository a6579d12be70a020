package io.haddns.controller.metrics;

import io.haddns.controller.notify.DeliveryObserver;
import io.haddns.controller.notify.OutboxStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Notification delivery (docs/notifications.md): attempts and events by receiver and outcome, and
 * the outbox and dead letters as this node last looked at them.
 */
public final class NotificationMetrics implements DeliveryObserver {
  private final Counter attempts;
  private final Counter events;

  public NotificationMetrics(PrometheusRegistry registry, Supplier<OutboxStatus> outbox) {
    attempts =
        Counter.builder()
            .name("haddns_notifications_attempts_total")
            .help(
                "Messages sent to receivers by outcome (delivered, retried, rejected, dead, and"
                    + " test-… for ctl notify test)")
            .labelNames("receiver", "type", "outcome")
            .register(registry);
    events =
        Counter.builder()
            .name("haddns_notifications_events_total")
            .help("Notifications carried by those messages, by receiver and outcome")
            .labelNames("receiver", "outcome")
            .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_notifications_pending")
        .help("Notifications in the outbox not yet delivered to every receiver")
        .callback(cb -> cb.call(outbox.get().pending()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_notifications_dead_letters")
        .help("Dead letters kept: notifications a receiver refused or never took")
        .callback(cb -> cb.call(outbox.get().deadLetters()))
        .register(registry);
  }

  @Override
  public void attempted(String receiver, String type, String outcome, int count, Duration took) {
    attempts.labelValues(receiver, type, outcome).inc();
    events.labelValues(receiver, outcome).inc(count);
  }
}
