package io.haddns.controller.metrics;

import io.haddns.controller.election.LeadershipChanges;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Counts takeovers this node performed and step-downs it suffered while leading
 * (docs/architecture.md, "Fast takeover"). Every reason's series exists from the start at 0, so a
 * rate or an increase is defined before the first event.
 */
public final class LeadershipMetrics implements LeadershipChanges {
  private final Counter takeovers;
  private final Counter stepDowns;
  private final Counter doubts;

  public LeadershipMetrics(PrometheusRegistry registry) {
    takeovers =
        Counter.builder()
            .name("haddns_leader_takeovers_total")
            .help("Leaders this node judged dead and removed from the election, by reason")
            .labelNames("reason")
            .register(registry);
    stepDowns =
        Counter.builder()
            .name("haddns_leader_stepdowns_total")
            .help("Terms of this node that ended while it kept running, by reason")
            .labelNames("reason")
            .register(registry);
    doubts =
        Counter.builder()
            .name("haddns_leader_lease_doubts_total")
            .help(
                "Times this node's term fell in doubt (lease renewal unconfirmed, writes held);"
                    + " each ends in a confirmed renewal or a step-down")
            .register(registry);
    for (TakeoverReason r : TakeoverReason.values()) {
      takeovers.labelValues(r.label());
    }
    for (StepDownReason r : StepDownReason.values()) {
      stepDowns.labelValues(r.label());
    }
  }

  @Override
  public void tookOver(TakeoverReason reason) {
    takeovers.labelValues(reason.label()).inc();
  }

  @Override
  public void steppedDown(StepDownReason reason) {
    stepDowns.labelValues(reason.label()).inc();
  }

  @Override
  public void leaseDoubted() {
    doubts.inc();
  }
}
