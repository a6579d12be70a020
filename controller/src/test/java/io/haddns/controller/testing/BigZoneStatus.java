package io.haddns.controller.testing;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.admin.StatusSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A leader's status with one zone, {@code big.test}, of many applied records ({@code
 * host-00000.big.test}, … answering 192.0.2.1–250 in turn), one line and one member: what a large
 * installation's admin server answers, for the dashboard's and the admin server's size tests.
 */
public final class BigZoneStatus implements StatusSource {
  private final ClusterStatus status;

  public BigZoneStatus(int records) {
    String at = Instant.parse("2026-01-01T00:00:00Z").toString();
    List<ClusterStatus.Record> applied = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      applied.add(
          new ClusterStatus.Record(
              "host-%05d.big.test".formatted(i),
              "A",
              "big.test",
              60,
              List.of("192.0.2." + (i % 250 + 1)),
              3,
              at,
              0,
              List.of()));
    }
    status =
        new ClusterStatus(
            "big",
            "node-1",
            true,
            true,
            "node-1",
            3,
            List.of(new ClusterStatus.Member("node-1", "127.0.0.1:0", "it", at)),
            List.of(
                new ClusterStatus.Line(
                    "a",
                    "up",
                    List.of("192.0.2.1"),
                    at,
                    "tcp ok",
                    null,
                    new ClusterStatus.Source("static", "", null, null, null),
                    List.of(),
                    List.of())),
            applied,
            List.of(new ClusterStatus.Zone("big.test", false, List.of(), List.of(), null)));
  }

  @Override
  public ClusterStatus status() {
    return status;
  }

  @Override
  public boolean ready() {
    return true;
  }
}
