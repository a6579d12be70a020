package io.haddns.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.LineState;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AffectedRecordsTest {
  private static final RecordConfig WEB = record("web", "a", "b");
  private static final RecordConfig API = record("api", "b", "c");
  private static final RecordConfig MAIL = record("mail", "c", "a");
  private final AffectedRecords records = new AffectedRecords(List.of(WEB, API, MAIL));

  private static RecordConfig record(String name, String... lines) {
    return new RecordConfig(
        new RecordKey(name + ".example.com", RecordType.A),
        30,
        Policy.FAILOVER,
        List.of(lines),
        "example.com");
  }

  private static LineState state(String line, Health h) throws Exception {
    return new LineState(line, h, List.of(InetAddress.getByName("192.0.2.1")));
  }

  @Test
  void noChangedLineAffectsNoRecord() throws Exception {
    Map<String, LineState> lines = Map.of("a", state("a", Health.UP), "b", state("b", Health.UP));

    assertThat(records.since(lines, Map.copyOf(lines))).isEmpty();
  }

  @Test
  void aChangedLineAffectsEveryRecordOnItInConfigurationOrderEachOnce() throws Exception {
    Map<String, LineState> before =
        Map.of("a", state("a", Health.UP), "b", state("b", Health.UP), "c", state("c", Health.UP));
    Map<String, LineState> now =
        Map.of(
            "a", state("a", Health.DOWN), "b", state("b", Health.UP), "c", state("c", Health.DOWN));

    assertThat(records.since(before, now)).containsExactly(WEB, API, MAIL);
    assertThat(
            records.since(
                before,
                Map.of(
                    "a",
                    state("a", Health.UP),
                    "b",
                    state("b", Health.UP),
                    "c",
                    state("c", Health.DOWN))))
        .containsExactly(API, MAIL);
  }

  @Test
  void aLineThatAppearedOrVanishedCountsAsChanged() throws Exception {
    Map<String, LineState> before = Map.of("b", state("b", Health.UP));

    assertThat(records.since(before, Map.of())).containsExactly(WEB, API);
    assertThat(records.since(Map.of(), before)).containsExactly(WEB, API);
  }

  @Test
  void aLineNoRecordUsesAffectsNothing() throws Exception {
    assertThat(records.since(Map.of(), Map.of("z", state("z", Health.DOWN)))).isEmpty();
  }
}
