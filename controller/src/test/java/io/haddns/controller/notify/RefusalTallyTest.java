package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.GatewayAbuseConfig;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefusalTallyTest {
  private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");
  private final SettableClock clock = new SettableClock(START.plusSeconds(10));

  private RefusalTally tally(int threshold, int maxSources) {
    return new RefusalTally(
        new GatewayAbuseConfig(
            threshold, Duration.ofMinutes(5), Duration.ofSeconds(10), maxSources),
        "n2",
        clock);
  }

  private static AuditEvent dyndns2(String source, String outcome) {
    return new AuditEvent(
        START,
        "n2",
        "dyndns2-rejected",
        "user=? hostname=home.example.net myip=192.0.2.9 source=" + source + " outcome=" + outcome);
  }

  private static List<AuditEvent> times(int n, AuditEvent e) {
    List<AuditEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(e);
    }
    return out;
  }

  @Test
  void reportsASourceOnceItReachesTheThresholdWithItsOutcomes() {
    RefusalTally t = tally(5, 10);
    t.accept(times(4, dyndns2("203.0.113.9", "badauth")));
    assertThat(t.due()).isEmpty();

    t.accept(List.of(dyndns2("203.0.113.9", "abuse")));
    RefusalSummary s = t.due().orElseThrow();

    assertThat(s.node()).isEqualTo("n2");
    assertThat(s.windowStart()).isEqualTo(START);
    assertThat(s.entries()).hasSize(1);
    RefusalSummary.Entry e = s.entries().get(0);
    assertThat(e.category()).isEqualTo("auth");
    assertThat(e.source()).isEqualTo("203.0.113.9");
    assertThat(e.refusals()).isEqualTo(5);
    assertThat(e.outcomes()).isEqualTo(Map.of("badauth", 4L, "abuse", 1L));
  }

  @Test
  void offersASummaryAgainOnlyWhenItChanged() {
    RefusalTally t = tally(2, 10);
    t.accept(times(2, dyndns2("203.0.113.9", "badauth")));
    RefusalSummary first = t.due().orElseThrow();
    t.published(first);
    assertThat(t.due()).isEmpty();

    t.accept(List.of(dyndns2("203.0.113.9", "badauth")));
    assertThat(t.due()).get().extracting(s -> s.entries().get(0).refusals()).isEqualTo(3L);
  }

  @Test
  void startsAfreshInTheNextClockAlignedWindow() {
    RefusalTally t = tally(3, 10);
    t.accept(times(2, dyndns2("203.0.113.9", "badauth")));
    clock.advance(Duration.ofMinutes(5));
    t.accept(times(2, dyndns2("203.0.113.9", "badauth")));
    assertThat(t.due()).isEmpty();

    t.accept(List.of(dyndns2("203.0.113.9", "badauth")));
    assertThat(t.due().orElseThrow().windowStart()).isEqualTo(START.plus(Duration.ofMinutes(5)));
  }

  @Test
  void namesTheBusiestSourcesUpToTheCapAndCountsCategoriesApart() {
    RefusalTally t = tally(1, 2);
    t.accept(times(3, dyndns2("203.0.113.1", "badauth")));
    t.accept(times(5, dyndns2("203.0.113.2", "badauth")));
    t.accept(times(1, dyndns2("203.0.113.3", "badauth")));
    t.accept(times(4, dyndns2("203.0.113.1", "nohost")));

    List<RefusalSummary.Entry> entries = t.due().orElseThrow().entries();

    assertThat(entries)
        .extracting(e -> e.source() + " " + e.category() + " " + e.refusals())
        .containsExactly("203.0.113.2 auth 5", "203.0.113.1 address 4");
  }

  @Test
  void countsIpv6SourcesByTheirSlash64AndKeepsOnlyAFewClaimedCredentials() {
    RefusalTally t = tally(4, 10);
    for (int i = 1; i <= 5; i++) {
      t.accept(
          List.of(
              new AuditEvent(
                  START,
                  "n2",
                  "address-report-rejected",
                  "agent=router"
                      + i
                      + " line=home family=ipv4 sequence=1 addresses=192.0.2.1 source=2001:db8:1:2::"
                      + i
                      + " outcome=bad-signature reason=signature does not verify")));
    }

    RefusalSummary.Entry e = t.due().orElseThrow().entries().get(0);

    assertThat(e.source()).isEqualTo("2001:db8:1:2::/64");
    assertThat(e.category()).isEqualTo("auth");
    assertThat(e.refusals()).isEqualTo(5);
    assertThat(e.credentials()).containsExactly("router1", "router2", "router3");
  }

  @Test
  void ignoresAcceptedRequestsAndTheNodesOwnTrouble() {
    RefusalTally t = tally(1, 10);
    t.accept(
        List.of(
            dyndns2("203.0.113.9", "911"),
            new AuditEvent(
                START,
                "n2",
                "dyndns2-update",
                "user=r hostname=h myip=1 source=203.0.113.9 outcome=good"),
            new AuditEvent(
                START,
                "n2",
                "gateway-rejected",
                "source=203.0.113.9 path=/x outcome=internal-error reason=unexpected")));

    assertThat(t.due()).isEmpty();
  }

  @Test
  void boundsTheSourcesCountedPerWindow() {
    RefusalTally t = tally(1, 10);
    for (int i = 0; i < RefusalTally.MAX_KEYS + 5; i++) {
      t.refused(new GatewayRefusal("request", "s" + i, "", "not-found"));
    }
    assertThat(t.overflow()).isEqualTo(5);
    assertThat(t.due().orElseThrow().entries()).hasSize(10);
  }

  @Test
  void aSummaryReadsBackAsWritten() {
    RefusalTally t = tally(1, 10);
    t.accept(times(2, dyndns2("203.0.113.9", "badauth")));
    RefusalSummary s = t.due().orElseThrow();

    assertThat(RefusalSummary.decode(s.encode())).isEqualTo(s);
  }
}
