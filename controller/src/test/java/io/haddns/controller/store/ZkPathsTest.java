package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import org.junit.jupiter.api.Test;

class ZkPathsTest {
  private final ZkPaths paths = new ZkPaths("prod");

  @Test
  void placesEverythingUnderTheClusterRoot() {
    assertThat(paths.epoch()).isEqualTo("/haddns/prod/epoch");
    assertThat(paths.leader()).isEqualTo("/haddns/prod/leader");
    assertThat(paths.member("node-1")).isEqualTo("/haddns/prod/members/node-1");
    assertThat(paths.lineHealth("telecom")).isEqualTo("/haddns/prod/lines/telecom/health");
    assertThat(paths.lineAddress("telecom")).isEqualTo("/haddns/prod/lines/telecom/address");
    assertThat(paths.record(new RecordKey("App.Example.com.", RecordType.AAAA)))
        .isEqualTo("/haddns/prod/records/app.example.com/AAAA");
    assertThat(paths.auditEntryPrefix(1234)).isEqualTo("/haddns/prod/audit/e-1234-");
    assertThat(paths.gatewayAuditBatchPrefix(1234, 40)).isEqualTo("/haddns/prod/audit/g-1234-40-");
    assertThat(paths.leaderAuditBatchPrefix(1234, 40)).isEqualTo("/haddns/prod/audit/l-1234-40-");
    assertThat(paths.drill("d1")).isEqualTo("/haddns/prod/drills/d1");
    assertThat(paths.override("telecom")).isEqualTo("/haddns/prod/overrides/telecom");
    assertThat(paths.pause("example.com")).isEqualTo("/haddns/prod/pauses/example.com");
    assertThat(paths.stepDown()).isEqualTo("/haddns/prod/stepdown");
    assertThat(paths.layout()).contains(paths.overrides(), paths.pauses());
  }

  @Test
  void parsesItsOwnPathsBack() {
    RecordKey key = new RecordKey("www.example.com", RecordType.A);
    assertThat(paths.recordKeyOf(paths.record(key))).contains(key);
    assertThat(paths.lineOfHealth(paths.lineHealth("unicom"))).contains("unicom");
    assertThat(paths.memberOf(paths.member("n2"))).contains("n2");
    assertThat(paths.lineOfOverride(paths.override("unicom"))).contains("unicom");
    assertThat(paths.zoneOfPause(paths.pause("example.com"))).contains("example.com");
    assertThat(paths.lineOfOverride(paths.overrides())).isEmpty();
  }

  @Test
  void ignoresPathsThatAreNotLeaves() {
    assertThat(paths.recordKeyOf(paths.recordName("www.example.com"))).isEmpty();
    assertThat(paths.recordKeyOf(paths.records() + "/www.example.com/MX")).isEmpty();
    assertThat(paths.lineOfHealth(paths.lineAddress("unicom"))).isEmpty();
    assertThat(paths.lineOfHealth(paths.line("unicom"))).isEmpty();
    assertThat(paths.memberOf(paths.members())).isEmpty();
    assertThat(new ZkPaths("other").memberOf(paths.member("n2"))).isEmpty();
  }

  @Test
  void refusesAnEmptyAuditBatch() {
    assertThatThrownBy(() -> paths.gatewayAuditBatchPrefix(1234, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> paths.leaderAuditBatchPrefix(1234, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsSegmentsThatWouldEscapeTheirNode() {
    assertThatThrownBy(() -> paths.line("a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> paths.member("..")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ZkPaths("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> paths.drill("x\ny")).isInstanceOf(IllegalArgumentException.class);
  }
}
