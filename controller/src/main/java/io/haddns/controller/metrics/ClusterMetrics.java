package io.haddns.controller.metrics;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.admin.StatusSource;
import io.haddns.probe.Health;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * The node's view of the cluster, read at scrape time from the same in-memory status the admin API
 * serves: leadership, epoch, members, ZooKeeper connection, line health, applied records.
 */
public final class ClusterMetrics {

  public ClusterMetrics(PrometheusRegistry registry, StatusSource status) {
    GaugeWithCallback.builder()
        .name("haddns_leader")
        .help("1 while this node leads the cluster, else 0")
        .callback(cb -> cb.call(status.status().leading() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_epoch")
        .help("Newest leader term (fencing token) this node has seen")
        .callback(cb -> cb.call(status.status().epoch()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_members")
        .help("Live cluster members as seen by this node")
        .callback(cb -> cb.call(status.status().members().size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_zookeeper_connected")
        .help("1 while connected to ZooKeeper, else 0")
        .callback(cb -> cb.call(status.status().zookeeperConnected() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_ready")
        .help("1 when the node is ready (connected and caught up), else 0")
        .callback(cb -> cb.call(status.ready() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_line_health")
        .help("1 for the line's current health state, 0 for the others")
        .labelNames("line", "state")
        .callback(
            cb -> {
              for (ClusterStatus.Line l : status.status().lines()) {
                for (Health h : Health.values()) {
                  cb.call(h.label().equals(l.health()) ? 1 : 0, l.name(), h.label());
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_records_applied")
        .help("Record sets currently applied, per zone")
        .labelNames("zone")
        .callback(
            cb -> {
              Map<String, Integer> count = new HashMap<>();
              status.status().records().forEach(r -> count.merge(r.zone(), 1, Integer::sum));
              count.forEach((zone, n) -> cb.call(n, zone));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("haddns_applied_record_age_max_seconds")
        .help("Age of the oldest applied record set per zone (time since it was last written)")
        .labelNames("zone")
        .callback(
            cb -> {
              Map<String, Long> oldest = new HashMap<>();
              status
                  .status()
                  .records()
                  .forEach(r -> oldest.merge(r.zone(), r.ageSeconds(), Math::max));
              oldest.forEach((zone, age) -> cb.call(age, zone));
            })
        .register(registry);
  }
}
