package io.haddns.controller.metrics;

import io.haddns.controller.reconcile.ReconcileObserver;
import io.haddns.controller.reconcile.ReconcileResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;

/** Reconcile outcomes, applied changes and apply errors per zone. */
public final class ReconcileMetrics implements ReconcileObserver {
  private final Counter reconciles;
  private final Counter changes;
  private final Counter errors;
  private final Histogram applyDuration;
  private final Gauge lastApply;
  private final Gauge converged;
  private final Gauge planned;
  private final Gauge pendingRetry;
  private final Gauge retryAttempts;
  private final Map<String, String> providerByZone;
  private final InstantSource clock;

  /**
   * @param providerByZone provider type per zone ({@code rfc2136}, {@code embedded}, …), for labels
   * @param resyncInterval how often the leader reconciles every zone even when nothing changed
   */
  public ReconcileMetrics(
      PrometheusRegistry registry,
      Map<String, String> providerByZone,
      Duration resyncInterval,
      InstantSource clock) {
    this.providerByZone = Map.copyOf(providerByZone);
    this.clock = clock;
    reconciles =
        Counter.builder()
            .name("haddns_reconciles_total")
            .help(
                "Zone reconciles by trigger kind (term_start, resync, health, addresses, retry, other)"
                    + " and result")
            .labelNames("zone", "trigger", "result")
            .register(registry);
    changes =
        Counter.builder()
            .name("haddns_applied_changes_total")
            .help("Record set changes applied to providers")
            .labelNames("zone", "change")
            .register(registry);
    errors =
        Counter.builder()
            .name("haddns_apply_errors_total")
            .help("Failed applies by provider and kind (transient, permanent, fenced)")
            .labelNames("zone", "provider", "kind")
            .register(registry);
    applyDuration =
        Histogram.builder()
            .name("haddns_apply_duration_seconds")
            .help("Time to apply one batch of changes to a provider")
            .unit(Unit.SECONDS)
            .labelNames("zone")
            .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    lastApply =
        Gauge.builder()
            .name("haddns_last_apply_timestamp_seconds")
            .help("When this node last applied changes to the zone (Unix time)")
            .labelNames("zone")
            .register(registry);
    converged =
        Gauge.builder()
            .name("haddns_zone_converged_timestamp_seconds")
            .help(
                "When a reconcile on this node last found the zone matching its plan or made it"
                    + " match (Unix time); the node's start until then")
            .labelNames("zone")
            .register(registry);
    providerByZone.keySet().forEach(z -> converged.labelValues(z).set(clock.millis() / 1000.0));
    Gauge.builder()
        .name("haddns_resync_interval_seconds")
        .help("How often the leader reconciles every zone even when nothing changed")
        .unit(Unit.SECONDS)
        .register(registry)
        .set(resyncInterval.toMillis() / 1000.0);
    pendingRetry =
        Gauge.builder()
            .name("haddns_reconcile_retry_delay_seconds")
            .help(
                "Delay before the zone is reconciled again after a transient failure; 0 when none")
            .unit(Unit.SECONDS)
            .labelNames("zone")
            .register(registry);
    retryAttempts =
        Gauge.builder()
            .name("haddns_reconcile_retry_attempts")
            .help(
                "Reconciles of the zone in a row that failed transiently and are being retried; 0"
                    + " when none")
            .labelNames("zone")
            .register(registry);
    planned =
        Gauge.builder()
            .name("haddns_dry_run_planned_changes")
            .help("Changes the last dry-run reconcile of the zone would have written")
            .labelNames("zone", "change")
            .register(registry);
  }

  @Override
  public void retryState(String zone, int failedAttempts) {
    retryAttempts.labelValues(zone).set(failedAttempts);
  }

  @Override
  public void reconciled(String zone, String trigger, ReconcileResult result) {
    String provider = providerByZone.getOrDefault(zone, "unknown");
    String kind = triggerKind(trigger);
    pendingRetry
        .labelValues(zone)
        .set(
            result instanceof ReconcileResult.RetryAfter r
                ? r.after().toNanos() / 1e9
                : result instanceof ReconcileResult.Deferred d ? d.after().toNanos() / 1e9 : 0);
    switch (result) {
      case ReconcileResult.NoChanges n -> {
        reconciles.labelValues(zone, kind, "no_changes").inc();
        converged.labelValues(zone).set(clock.millis() / 1000.0);
      }
      case ReconcileResult.Applied a -> {
        reconciles.labelValues(zone, kind, "applied").inc();
        converged.labelValues(zone).set(clock.millis() / 1000.0);
        changes.labelValues(zone, "create").inc(a.creates());
        changes.labelValues(zone, "update").inc(a.updates());
        changes.labelValues(zone, "delete").inc(a.deletes());
        applyDuration.labelValues(zone).observe(a.took().toNanos() / 1e9);
        lastApply.labelValues(zone).set(clock.millis() / 1000.0);
      }
      case ReconcileResult.Planned p -> {
        reconciles.labelValues(zone, kind, "dry_run").inc();
        planned.labelValues(zone, "create").set(p.creates());
        planned.labelValues(zone, "update").set(p.updates());
        planned.labelValues(zone, "delete").set(p.deletes());
        if (p.creates() + p.updates() + p.deletes() == 0) {
          converged.labelValues(zone).set(clock.millis() / 1000.0);
        }
      }
      case ReconcileResult.Deferred d -> reconciles.labelValues(zone, kind, "deferred").inc();
      case ReconcileResult.Paused p -> reconciles.labelValues(zone, kind, "paused").inc();
      case ReconcileResult.RetryAfter r -> {
        reconciles.labelValues(zone, kind, "retry").inc();
        errors.labelValues(zone, provider, "transient").inc();
      }
      case ReconcileResult.Failed f -> {
        reconciles.labelValues(zone, kind, "failed").inc();
        errors.labelValues(zone, provider, "permanent").inc();
      }
      case ReconcileResult.NotLeader nl -> {
        reconciles.labelValues(zone, kind, "not_leader").inc();
        errors.labelValues(zone, provider, "fenced").inc();
      }
    }
  }

  /**
   * The bounded kind of a trigger: reasons may carry a line name ({@code "health wan1"}), which
   * must not become a label value.
   */
  static String triggerKind(String trigger) {
    String head = trigger == null ? "" : trigger.split(" ", 2)[0];
    return switch (head) {
      case "term-start" -> "term_start";
      case "resync", "health", "addresses", "retry" -> head;
      default -> "other";
    };
  }
}
