package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.RouteConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineHealth;
import io.haddns.controller.store.OutboxEvents;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NotificationEventsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private final AtomicInteger ids = new AtomicInteger();
  private final NotificationCodec codec = new NotificationCodec();

  private NotificationEvents events(Severity min, EventKind... kinds) {
    return new NotificationEvents(
        "prod",
        "n1",
        new Routes(List.of(new RouteConfig(List.of("r"), Set.of(kinds), min, Duration.ZERO))),
        InstantSource.fixed(NOW),
        () -> "id-" + ids.incrementAndGet());
  }

  private List<Notification> of(NotificationEvents e, OutboxEvents.Cause cause) {
    return e.entries(9, cause).stream().map(b -> codec.decode(b).notification()).toList();
  }

  private static LineHealth health(Health h) throws Exception {
    return new LineHealth(
        "isp-a", h, List.of(InetAddress.getByName("198.51.100.7")), NOW, 9, "3 probes failed");
  }

  private static RecordSet rs(String address) throws Exception {
    return new RecordSet(
        new RecordKey("www.example.net", RecordType.A),
        60,
        List.of(InetAddress.getByName(address)));
  }

  private static AuditEvent audit(String type, String detail) {
    return new AuditEvent(NOW, "n1", type, detail);
  }

  @Test
  void aLineGoingDownIsCriticalWithItsTransitionAndAnUnchangedOneIsNothing() throws Exception {
    NotificationEvents e = events(Severity.INFO);

    List<Notification> down =
        of(e, new OutboxEvents.HealthChanged(health(Health.UP), health(Health.DOWN)));

    assertThat(down).hasSize(1);
    Notification n = down.get(0);
    assertThat(n.id()).isEqualTo("id-1");
    assertThat(n.kind()).isEqualTo(EventKind.LINE_HEALTH);
    assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(n.epoch()).isEqualTo(9);
    assertThat(n.summary()).isEqualTo("line isp-a up -> down (3 probes failed)");
    assertThat(of(e, new OutboxEvents.HealthChanged(health(Health.UP), health(Health.UP))))
        .isEmpty();
    assertThat(of(e, new OutboxEvents.HealthChanged(null, health(Health.UNKNOWN)))).isEmpty();
  }

  @Test
  void aRecordFailoverCarriesTheOldAndNewAddresses() throws Exception {
    List<Notification> moved =
        of(
            events(Severity.INFO),
            new OutboxEvents.RecordChanged("example.net", rs("198.51.100.7"), rs("203.0.113.9")));

    assertThat(moved.get(0).summary())
        .isEqualTo("record www.example.net/A 198.51.100.7 -> 203.0.113.9");
    assertThat(moved.get(0).details())
        .containsEntry("before", "198.51.100.7")
        .containsEntry("after", "203.0.113.9")
        .containsEntry("zone", "example.net");
  }

  @Test
  void theFirstApplyAfterAFailureIsARecoveryAndLaterOnesAreNothing() {
    NotificationEvents e = events(Severity.INFO);

    assertThat(of(e, new OutboxEvents.Audited(audit("apply", "zone=example.net create x"))))
        .isEmpty();
    assertThat(of(e, new OutboxEvents.Audited(audit("apply-failed", "zone=example.net refused"))))
        .extracting(Notification::kind, Notification::subject)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(EventKind.APPLY_FAILED, "example.net"));
    assertThat(of(e, new OutboxEvents.Audited(audit("apply", "zone=example.net update x"))))
        .extracting(Notification::kind)
        .containsExactly(EventKind.APPLY_RECOVERED);
    assertThat(of(e, new OutboxEvents.Audited(audit("apply", "zone=example.net update y"))))
        .isEmpty();
  }

  @Test
  void writesOnlyWhatSomeRouteTakes() throws Exception {
    NotificationEvents e = events(Severity.WARNING, EventKind.LINE_HEALTH);

    assertThat(of(e, new OutboxEvents.HealthChanged(health(Health.DOWN), health(Health.UP))))
        .as("info is below the route's minimum")
        .isEmpty();
    assertThat(of(e, new OutboxEvents.Audited(audit("leadership", "lost epoch=3")))).isEmpty();
    assertThat(of(e, new OutboxEvents.HealthChanged(health(Health.UP), health(Health.DOWN))))
        .hasSize(1);
  }

  @Test
  void aDrillResultIsInfoWhenItPassedAndAWarningOtherwiseWithItsFields() {
    NotificationEvents e = events(Severity.INFO, EventKind.DRILL_RESULT);

    List<Notification> passed =
        of(
            e,
            new OutboxEvents.Audited(
                audit(
                    "drill-ended",
                    "drill=d-1 kind=line-failure line=isp-a verdict=passed rto=1200ms")));
    List<Notification> failed =
        of(
            e,
            new OutboxEvents.Audited(
                audit("drill-ended", "drill=d-2 kind=leader-failover verdict=failed rto=none")));

    assertThat(passed)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.kind()).isEqualTo(EventKind.DRILL_RESULT);
              assertThat(n.severity()).isEqualTo(Severity.INFO);
              assertThat(n.subject()).isEqualTo("d-1");
              assertThat(n.details())
                  .containsEntry("kind", "line-failure")
                  .containsEntry("line", "isp-a")
                  .containsEntry("verdict", "passed")
                  .containsEntry("rto", "1200ms");
            });
    assertThat(failed)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.severity()).isEqualTo(Severity.WARNING);
              assertThat(n.summary()).startsWith("drill d-2 (leader-failover) failed");
            });
  }

  @Test
  void aGatewayAbuseNoticeHasAnIdFixedByItsCategorySourceAndWindow() {
    NotificationEvents e = events(Severity.INFO);
    String detail =
        "category=auth source=203.0.113.9 window=2026-12-06T10:00:00Z refusals=25"
            + " outcomes=abuse:5,badauth:20 credentials=router1 nodes=n2";

    Notification first = of(e, new OutboxEvents.Audited(audit("gateway-abuse", detail))).get(0);
    Notification again = of(e, new OutboxEvents.Audited(audit("gateway-abuse", detail))).get(0);
    Notification otherWindow =
        of(
                e,
                new OutboxEvents.Audited(
                    audit(
                        "gateway-abuse",
                        detail.replace("2026-12-06T10:00:00Z", "2026-12-06T10:05:00Z"))))
            .get(0);

    assertThat(first.kind()).isEqualTo(EventKind.GATEWAY_ABUSE);
    assertThat(first.severity()).isEqualTo(Severity.WARNING);
    assertThat(first.subject()).isEqualTo("203.0.113.9 auth");
    assertThat(first.details())
        .containsEntry("source", "203.0.113.9")
        .containsEntry("refusals", "25")
        .containsEntry("credentials", "router1");
    assertThat(first.summary()).contains("25 auth requests from 203.0.113.9");
    assertThat(again.id()).isEqualTo(first.id()).doesNotStartWith("id-");
    assertThat(otherWindow.id()).isNotEqualTo(first.id());
  }
}
