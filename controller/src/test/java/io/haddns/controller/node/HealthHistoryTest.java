package io.haddns.controller.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.admin.ClusterStatus;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.StoreView;
import io.haddns.probe.Health;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthHistoryTest {
  private static final Instant T = Instant.parse("2026-12-06T12:00:00Z");
  private final Map<String, LineHealth> replicated = new HashMap<>();
  private final HealthHistory history = new HealthHistory(() -> Map.copyOf(replicated));

  private void decided(String line, Health health, int second, String reason) {
    replicated.put(line, new LineHealth(line, health, List.of(), T.plusSeconds(second), 3, reason));
    history.changed(Set.of(StoreView.HEALTH));
  }

  @Test
  void keepsEachLinesChangesOfTheReplicatedHealthOldestFirstOnceEach() {
    decided("a", Health.UP, 0, "tcp/443 ok");
    decided("b", Health.UP, 1, "tcp/443 ok");
    decided("a", Health.DOWN, 5, "tcp/443 timeout");
    history.changed(Set.of(StoreView.HEALTH));
    history.changed(Set.of(StoreView.APPLIED));

    assertThat(history.of("a"))
        .containsExactly(
            new ClusterStatus.HealthChange("up", T.toString(), "tcp/443 ok", 3),
            new ClusterStatus.HealthChange(
                "down", T.plusSeconds(5).toString(), "tcp/443 timeout", 3));
    assertThat(history.of("b")).hasSize(1);
    assertThat(history.of("c")).isEmpty();
  }

  @Test
  void holdsAtMostTheLimitPerLineDroppingTheOldest() {
    for (int i = 0; i < ClusterStatus.HISTORY_LIMIT + 5; i++) {
      decided("a", i % 2 == 0 ? Health.UP : Health.DOWN, i, "");
    }

    List<ClusterStatus.HealthChange> kept = history.of("a");
    assertThat(kept).hasSize(ClusterStatus.HISTORY_LIMIT);
    assertThat(kept.get(0).since()).isEqualTo(T.plusSeconds(5).toString());
    assertThat(kept.get(kept.size() - 1).since())
        .isEqualTo(T.plusSeconds(ClusterStatus.HISTORY_LIMIT + 4).toString());
  }

  @Test
  void startsWithTheAuditTrailsChangesFromBeforeTheNodeStartedWithoutRepeatingTheCurrentOne() {
    decided("a", Health.DOWN, 100, "tcp/443 timeout");

    history.seed(
        List.of(
            new AuditEvent(T.plusSeconds(10), "node-1", "health", "line=a unknown -> up"),
            new AuditEvent(T.plusSeconds(20), "node-1", "override", "line=a drained"),
            new AuditEvent(T.plusSeconds(50), "node-2", "health", "line=a up -> down"),
            new AuditEvent(T.plusSeconds(60), "node-2", "health", "line=a down -> up"),
            new AuditEvent(T.plusSeconds(100), "node-2", "health", "line=a up -> down"),
            new AuditEvent(T.plusSeconds(70), "node-2", "health", "line=b unknown -> up")));

    assertThat(history.of("a"))
        .extracting(ClusterStatus.HealthChange::health, ClusterStatus.HealthChange::since)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("up", T.plusSeconds(10).toString()),
            org.assertj.core.groups.Tuple.tuple("down", T.plusSeconds(50).toString()),
            org.assertj.core.groups.Tuple.tuple("up", T.plusSeconds(60).toString()),
            org.assertj.core.groups.Tuple.tuple("down", T.plusSeconds(100).toString()));
    assertThat(history.of("a").get(0).reason()).isEqualTo(HealthHistory.FROM_TRAIL);
    assertThat(history.of("a").get(3).reason()).isEqualTo("tcp/443 timeout");
    assertThat(history.of("b"))
        .singleElement()
        .satisfies(c -> assertThat(c.health()).isEqualTo("up"));
  }
}
