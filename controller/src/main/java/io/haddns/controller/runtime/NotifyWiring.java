package io.haddns.controller.runtime;

import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.metrics.NotificationMetrics;
import io.haddns.controller.node.ControllerNode;
import io.haddns.controller.notify.NotificationDispatcher;
import io.haddns.controller.notify.NotificationEvents;
import io.haddns.controller.notify.OutboxStatus;
import io.haddns.controller.notify.Receivers;
import io.haddns.controller.notify.Routes;
import io.haddns.controller.store.OutboxEvents;
import io.haddns.controller.store.ZkStateStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** Wires notifications (docs/notifications.md) into a node: outbox events, dispatcher, metrics. */
final class NotifyWiring {
  private NotifyWiring() {}

  /** What the store writes to the outbox with the leader's changes; nothing without receivers. */
  static OutboxEvents events(HaddnsConfig cfg, InstantSource clock) {
    if (!cfg.notifications().enabled()) {
      return OutboxEvents.NONE;
    }
    return new NotificationEvents(
        cfg.cluster().name(),
        cfg.node().id(),
        new Routes(cfg.notifications().routes()),
        clock,
        () -> UUID.randomUUID().toString());
  }

  /** The dispatcher (not started), sending while {@code node} leads, and its metrics. */
  static NotificationDispatcher dispatcher(
      HaddnsConfig cfg,
      ZkStateStore store,
      ControllerNode node,
      InstantSource clock,
      PrometheusRegistry registry) {
    AtomicReference<NotificationDispatcher> self = new AtomicReference<>();
    NotificationMetrics metrics =
        new NotificationMetrics(
            registry,
            () -> {
              NotificationDispatcher d = self.get();
              return d == null ? OutboxStatus.disabled() : d.status();
            });
    NotificationDispatcher dispatcher =
        new NotificationDispatcher(
            cfg.notifications(),
            Receivers.of(cfg.notifications(), cfg.cluster().name(), clock),
            store.outbox(),
            node::epoch,
            cfg.cluster().name(),
            cfg.node().id(),
            clock,
            metrics);
    self.set(dispatcher);
    return dispatcher;
  }
}
