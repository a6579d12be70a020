package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.GatewayAbuseConfig;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayAbuseWatchTest {
  private static final Instant WINDOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final GatewayAbuseConfig CONFIG =
      new GatewayAbuseConfig(3, Duration.ofMinutes(5), Duration.ofSeconds(10), 10);
  private final SettableClock clock = new SettableClock(WINDOW.plusSeconds(30));
  private final MemoryStore store = new MemoryStore();

  /** The store's part in ZooKeeper, in memory: summaries by node, notices, stored events. */
  private static final class MemoryStore implements GatewayAbuseWatch.Store {
    final Map<String, byte[]> summaries = new LinkedHashMap<>();
    final Set<String> notices = new HashSet<>();
    final List<AuditEvent> events = new ArrayList<>();

    @Override
    public void publish(String node, byte[] summary) {
      summaries.put(node, summary);
    }

    @Override
    public List<byte[]> summaries() {
      return List.copyOf(summaries.values());
    }

    @Override
    public Set<String> notices() {
      return Set.copyOf(notices);
    }

    @Override
    public void forget(long epoch, List<String> names) {
      names.forEach(notices::remove);
    }

    @Override
    public void auditNotice(long epoch, AuditEvent event, String notice) {
      events.add(event);
      notices.add(notice);
    }
  }

  private GatewayAbuseWatch node(String id, boolean told) {
    return new GatewayAbuseWatch(
        CONFIG, new RefusalTally(CONFIG, id, clock), store, id, clock, told);
  }

  private static List<AuditEvent> badLogins(int n, String node) {
    List<AuditEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new AuditEvent(
              WINDOW,
              node,
              "dyndns2-rejected",
              "user=? hostname=home.example.net myip=192.0.2.9 source=203.0.113.9"
                  + " outcome=badauth"));
    }
    return out;
  }

  @Test
  void theLeaderAddsUpTheNodesAndTellsOncePerSourceAndWindow() {
    GatewayAbuseWatch follower = node("n2", true);
    GatewayAbuseWatch leader = node("n1", true);

    follower.tally().accept(badLogins(4, "n2"));
    follower.tick(0);
    leader.tally().accept(badLogins(3, "n1"));
    leader.tick(7);

    assertThat(store.events).hasSize(1);
    AuditEvent e = store.events.get(0);
    assertThat(e.type()).isEqualTo("gateway-abuse");
    assertThat(e.node()).isEqualTo("n1");
    assertThat(e.detail())
        .isEqualTo(
            "category=auth source=203.0.113.9 window=2026-12-06T10:00:00Z refusals=7"
                + " outcomes=badauth:7 credentials= nodes=n1,n2");

    follower.tally().accept(badLogins(10, "n2"));
    follower.tick(0);
    leader.tick(7);
    node("n3", true).tick(8); // a new leader with the same notices in the store

    assertThat(store.events).hasSize(1);
  }

  @Test
  void aFollowerNeverStoresAnEventAndNothingIsWrittenWhenNoRouteTakesTheKind() {
    GatewayAbuseWatch follower = node("n2", true);
    follower.tally().accept(badLogins(5, "n2"));
    follower.tick(0);
    assertThat(store.summaries).containsKey("n2");
    assertThat(store.events).isEmpty();

    MemoryStore untouched = store;
    untouched.summaries.clear();
    GatewayAbuseWatch silent = node("n1", false);
    silent.tally().accept(badLogins(5, "n1"));
    silent.tick(7);
    assertThat(untouched.summaries).isEmpty();
    assertThat(untouched.events).isEmpty();
  }

  @Test
  void theNextWindowIsToldAgainAndOldNoticesAreForgotten() {
    GatewayAbuseWatch leader = node("n1", true);
    leader.tally().accept(badLogins(3, "n1"));
    leader.tick(7);

    clock.advance(Duration.ofMinutes(5));
    leader.tally().accept(badLogins(3, "n1"));
    leader.tick(7);
    assertThat(store.events).hasSize(2);
    assertThat(store.events.get(1).detail()).contains("window=2026-12-06T10:05:00Z");

    clock.advance(Duration.ofMinutes(10));
    leader.tick(7);
    assertThat(store.notices).isEmpty();
    assertThat(store.events).hasSize(2);
  }
}
