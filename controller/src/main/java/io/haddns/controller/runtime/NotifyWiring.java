package io.haddns.controller.runtime;

import io.haddns.controller.config.GatewayAbuseConfig;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.metrics.NotificationMetrics;
import io.haddns.controller.node.ControllerNode;
import io.haddns.controller.notify.EventKind;
import io.haddns.controller.notify.GatewayAbuseWatch;
import io.haddns.controller.notify.NotificationDispatcher;
import io.haddns.controller.notify.NotificationEvents;
import io.haddns.controller.notify.OutboxStatus;
import io.haddns.controller.notify.Receivers;
import io.haddns.controller.notify.RefusalTally;
import io.haddns.controller.notify.Routes;
import io.haddns.controller.notify.Severity;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.NotLeaderException;
import io.haddns.controller.store.OutboxEvents;
import io.haddns.controller.store.ZkStateStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

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

  /**
   * Gateway abuse notifications (not started): the node's refusal tally, its summaries and, on the
   * leader, the notices. Without a route taking {@code gateway-abuse}, refusals are only counted.
   */
  static GatewayAbuseWatch abuse(HaddnsConfig cfg, ZkStateStore store, InstantSource clock) {
    GatewayAbuseConfig abuse = cfg.notifications().gatewayAbuse();
    boolean told =
        cfg.notifications().enabled()
            && new Routes(cfg.notifications().routes())
                .routed(EventKind.GATEWAY_ABUSE, Severity.WARNING);
    return new GatewayAbuseWatch(
        abuse,
        new RefusalTally(abuse, cfg.node().id(), clock),
        new GatewayAbuseWatch.Store() {
          @Override
          public void publish(String node, byte[] summary) {
            store.refusals().publish(node, summary);
          }

          @Override
          public List<byte[]> summaries() {
            return store.refusals().summaries();
          }

          @Override
          public Set<String> notices() {
            return store.refusals().notices();
          }

          @Override
          public void forget(long epoch, List<String> notices) throws NotLeaderException {
            store.refusals().forget(epoch, notices);
          }

          @Override
          public void auditNotice(long epoch, AuditEvent event, String notice)
              throws NotLeaderException {
            store.auditNotice(epoch, event, notice);
          }
        },
        cfg.node().id(),
        clock,
        told);
  }

  /**
   * The gateway's audit sink: counts refusals in {@code abuse}'s tally, then writes to the audit
   * trail.
   */
  static Consumer<List<AuditEvent>> auditTap(ZkStateStore store, GatewayAbuseWatch abuse) {
    return events -> {
      abuse.tally().accept(events);
      store.audit(events);
    };
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
