package io.haddns.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupingTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration FIVE_MIN = Duration.ofMinutes(5);

  private static Notification flap(int i, String line) {
    return new Notification(
        "id-" + line + "-" + i,
        EventKind.LINE_HEALTH,
        i % 2 == 0 ? Severity.CRITICAL : Severity.INFO,
        T0.plusSeconds(i),
        "prod",
        "n1",
        1,
        line,
        "line " + line + " flap " + i,
        Map.of());
  }

  private static List<Notification> flaps(int n, String line) {
    List<Notification> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(flap(i, line));
    }
    return out;
  }

  @Test
  void sendsTheFirstEventOfASubjectAtOnceAndTheRestAsOneSummaryAfterTheInterval() {
    Grouping g = new Grouping();
    List<Notification> pending = flaps(20, "isp-a");
    Map<String, Duration> intervals = Map.of("line-health:isp-a", FIVE_MIN);

    List<Grouping.Batch> first = g.due("ding", pending, intervals, T0);
    assertThat(first).hasSize(1);
    assertThat(first.get(0).notifications()).containsExactly(pending.get(0));
    g.sent("ding", first.get(0).group(), T0);

    List<Notification> rest = pending.subList(1, 20);
    assertThat(g.due("ding", rest, intervals, T0.plus(Duration.ofMinutes(4)))).isEmpty();
    List<Grouping.Batch> summary = g.due("ding", rest, intervals, T0.plus(FIVE_MIN));
    assertThat(summary).hasSize(1);
    assertThat(summary.get(0).notifications()).containsExactlyElementsOf(rest);
  }

  @Test
  void keepsSubjectsAndReceiversApart() {
    Grouping g = new Grouping();
    g.sent("ding", "line-health:isp-a", T0);
    List<Notification> pending = new ArrayList<>(flaps(2, "isp-a"));
    pending.addAll(flaps(1, "isp-b"));
    Map<String, Duration> intervals =
        Map.of("line-health:isp-a", FIVE_MIN, "line-health:isp-b", FIVE_MIN);

    assertThat(g.due("ding", pending, intervals, T0.plusSeconds(1)))
        .extracting(Grouping.Batch::group)
        .containsExactly("line-health:isp-b");
    assertThat(g.due("mail", pending, intervals, T0.plusSeconds(1)))
        .extracting(Grouping.Batch::group)
        .containsExactly("line-health:isp-a", "line-health:isp-b");
  }

  @Test
  void sendsEveryEventAloneWithoutAnInterval() {
    Grouping g = new Grouping();
    List<Notification> pending = flaps(3, "isp-a");

    assertThat(g.due("hook", pending, Map.of("line-health:isp-a", Duration.ZERO), T0))
        .hasSize(3)
        .allSatisfy(b -> assertThat(b.notifications()).hasSize(1));
  }
}
