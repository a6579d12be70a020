package io.haddns.controller.metrics;

import io.haddns.controller.store.ZkClient;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The ZooKeeper client's connection state, read at scrape time: one series per state of {@link
 * ZkClient.Connection} (a closed set), 1 for the current one.
 */
public final class ZooKeeperMetrics {

  public ZooKeeperMetrics(PrometheusRegistry registry, Supplier<ZkClient.Connection> connection) {
    GaugeWithCallback.builder()
        .name("haddns_zookeeper_connection_state")
        .help(
            "1 for the ZooKeeper connection's current state (connecting, connected, suspended,"
                + " lost, read_only, closed), 0 for the others")
        .labelNames("state")
        .callback(
            cb -> {
              ZkClient.Connection now = connection.get();
              for (ZkClient.Connection s : ZkClient.Connection.values()) {
                cb.call(s == now ? 1 : 0, s.label());
              }
            })
        .register(registry);
  }
}
