package io.haddns.controller.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.testing.InMemoryStateStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditReaderTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final AuditReader reader = new AuditReader(store, 10_000);

  private void append(long seconds, String kind, String detail) {
    store.audit(new AuditEvent(T0.plusSeconds(seconds), "node-1", kind, detail));
  }

  private List<AuditEvent> page(AuditQuery q) {
    return ((Outcome.Done<AuditPage>) reader.page(q)).value().events();
  }

  @Test
  void filtersByKindLineZoneAndTimeNewestFirst() {
    append(1, "health", "line=a up -> down");
    append(2, "override-set", "line=a state=down by=alice");
    append(3, "override-set", "line=ab state=down by=alice");
    append(4, "apply", "zone=example.com update app");
    append(5, "zone-paused", "zone=example.com paused by=bob");

    assertThat(page(AuditQuery.all().withLine("a")))
        .extracting(AuditEvent::type)
        .containsExactly("override-set", "health");
    assertThat(page(AuditQuery.all().withKind("override-set")))
        .extracting(AuditEvent::detail)
        .containsExactly("line=ab state=down by=alice", "line=a state=down by=alice");
    assertThat(page(AuditQuery.all().withZone("example.com")))
        .extracting(AuditEvent::type)
        .containsExactly("zone-paused", "apply");
    assertThat(
            page(
                AuditQuery.all()
                    .withRange(Optional.of(T0.plusSeconds(2)), Optional.of(T0.plusSeconds(4)))))
        .extracting(AuditEvent::type)
        .containsExactly("override-set", "override-set");
  }

  @Test
  void pagesWithACursorCoverEveryEventOnceEvenWithinOneMillisecond() {
    for (int i = 0; i < 7; i++) {
      append(i / 3, "health", "line=a n=" + i);
    }
    List<String> seen = new ArrayList<>();
    AuditQuery q = AuditQuery.all().withLimit(2);
    while (true) {
      AuditPage p = ((Outcome.Done<AuditPage>) reader.page(q)).value();
      p.events().forEach(e -> seen.add(e.detail()));
      if (p.next().isEmpty()) {
        break;
      }
      // Newer events appended between pages do not shift the next one.
      append(100, "health", "line=a newer");
      q = q.withCursor(p.next().get());
    }
    assertThat(seen)
        .containsExactly(
            "line=a n=6",
            "line=a n=5",
            "line=a n=4",
            "line=a n=3",
            "line=a n=2",
            "line=a n=1",
            "line=a n=0");
  }

  @Test
  void refusesBadLimitCursorAndRange() {
    assertThat(reader.page(AuditQuery.all().withLimit(0)))
        .isEqualTo(new Outcome.Invalid<>("limit", "must be 1..1000, was 0"));
    assertThat(reader.page(AuditQuery.all().withCursor("x"))).isInstanceOf(Outcome.Invalid.class);
    assertThat(
            reader.page(
                AuditQuery.all().withRange(Optional.of(T0), Optional.of(T0.minusSeconds(1)))))
        .isInstanceOf(Outcome.Invalid.class);
  }

  @Test
  void exportsEveryMatchingEventAsOneJsonObjectPerLine() throws Exception {
    append(1, "override-set", "line=a reason=\"maintenance\"");
    append(2, "override-cleared", "line=a cleared");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThat(reader.exportNdjson(AuditQuery.all().withLine("a"), out))
        .isEqualTo(new Outcome.Done<>(2));

    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0])
        .isEqualTo(
            "{\"at\":\"2026-03-01T10:00:02Z\",\"node\":\"node-1\",\"type\":\"override-cleared\","
                + "\"detail\":\"line=a cleared\"}");
    assertThat(lines[1])
        .startsWith("{\"at\":\"2026-03-01T10:00:01Z\"")
        .endsWith("\"detail\":\"line=a reason=\\\"maintenance\\\"\"}");
  }
}
