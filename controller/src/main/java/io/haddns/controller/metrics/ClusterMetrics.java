package io.haddns.controller.metrics;

import io.haddns.probe.Health;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The node's view of the cluster, read at scrape time: leadership, epoch, members, ZooKeeper
 * connection, line health, applied records. Each gauge reads only the view it reports (see {@link
 * ClusterView}), so a scrape does not assemble the admin status once per gauge.
 */
public final class ClusterMetrics {

  public ClusterMetrics(PrometheusRegistry registry, ClusterView view, InstantSource clock) {
    GaugeWithCallback.builder()
        .name("haddns_leader")
        .help("1 while this node leads the cluster, else 0")
        .callback(cb -> cb.call(view.leading() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_epoch")
        .help("Newest leader term (fencing token) this node has seen")
        .callback(cb -> cb.call(view.epoch()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_members")
        .help("Live cluster members as seen by this node")
        .callback(cb -> cb.call(view.members()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_zookeeper_connected")
        .help("1 while connected to ZooKeeper, else 0")
        .callback(cb -> cb.call(view.zookeeperConnected() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_ready")
        .help("1 when the node is ready (connected and caught up), else 0")
        .callback(cb -> cb.call(view.ready() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_line_health")
        .help("1 for the line's current health state, 0 for the others")
        .labelNames("line", "state")
        .callback(
            cb ->
                view.lineHealth()
                    .forEach(
                        (line, health) -> {
                          for (Health h : Health.values()) {
                            cb.call(h == health ? 1 : 0, line, h.label());
                          }
                        }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_records_applied")
        .help("Record sets currently applied, per zone")
        .labelNames("zone")
        .callback(cb -> view.appliedByZone().forEach((zone, a) -> cb.call(a.records(), zone)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_applied_record_age_max_seconds")
        .help("Age of the oldest applied record set per zone (time since it was last written)")
        .labelNames("zone")
        .callback(
            cb ->
                view.appliedByZone()
                    .forEach(
                        (zone, a) ->
                            cb.call(
                                Math.max(
                                    0, Duration.between(a.oldest(), clock.instant()).toSeconds()),
                                zone)))
        .register(registry);
  }
}
