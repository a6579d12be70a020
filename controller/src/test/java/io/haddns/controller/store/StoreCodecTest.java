package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreCodecTest {
  private final StoreCodec codec = new StoreCodec();
  private final Instant at = Instant.parse("2026-01-02T03:04:05.678Z");

  @Test
  void roundTripsLineHealthWithAddressesOfBothFamilies() throws Exception {
    LineHealth h =
        new LineHealth(
            "telecom",
            Health.DOWN,
            List.of(InetAddress.getByName("198.51.100.7"), InetAddress.getByName("2001:db8::1")),
            at,
            7,
            "3 failed rounds");
    byte[] json = codec.encode(h);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"health\":\"down\"", "\"198.51.100.7\"", "\"2001:db8:0:0:0:0:0:1\"")
        .contains("2026-01-02T03:04:05.678Z");
    assertThat(codec.decodeHealth(json)).isEqualTo(h);
  }

  @Test
  void roundTripsAppliedRecordMemberAndAuditEvent() throws Exception {
    RecordSet rs =
        new RecordSet(
            new RecordKey("app.example.com", RecordType.A),
            30,
            List.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2")));
    AppliedRecord a = new AppliedRecord(rs, "example.com", 3, at);
    assertThat(codec.decodeApplied(codec.encode(a))).isEqualTo(a);

    MemberInfo m = new MemberInfo("n1", "10.0.0.1:8053", "0.1.0", at);
    assertThat(codec.decodeMember(codec.encode(m))).isEqualTo(m);

    AuditEvent e = new AuditEvent(at, "n1", "leadership", "acquired epoch=3");
    assertThat(codec.decodeAudit(codec.encode(e))).isEqualTo(e);
  }

  @Test
  void readsAuditNodesHoldingOneEventOrAnArrayOfThem() {
    AuditEvent first = new AuditEvent(at, "n1", "address-report", "line=a 192.0.2.1");
    AuditEvent second = new AuditEvent(at.plusSeconds(1), "n2", "refused", "reason=stale");
    byte[] array = StoreCodec.auditArray(List.of(codec.encode(first), codec.encode(second)));

    assertThat(codec.decodeAudits(array)).containsExactly(first, second);
    assertThat(codec.decodeAudits(StoreCodec.auditArray(List.of(codec.encode(first)))))
        .containsExactly(first);
    // A single-event node, as leaders write and older gateways wrote.
    assertThat(codec.decodeAudits(codec.encode(second))).containsExactly(second);
    assertThat(
            codec.decodeAudits(
                " {\"at\":\"2026-01-02T03:04:05.678Z\",\"node\":\"n1\",\"type\":\"t\"}"
                    .getBytes(StandardCharsets.UTF_8)))
        .containsExactly(new AuditEvent(at, "n1", "t", ""));
  }

  @Test
  void refusesMalformedAuditNodesWithIllegalArgument() {
    for (String bad :
        List.of(
            "[{\"at\":\"yesterday\",\"node\":\"n1\",\"type\":\"t\"}]",
            "[{\"at\":\"2026-01-02T03:04:05Z\",\"type\":\"t\"}]",
            "[null]",
            "[{\"at\":\"2026-01-02T03:04:05Z\"",
            "")) {
      assertThatThrownBy(() -> codec.decodeAudits(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void ignoresFieldsAddedByANewerVersion() {
    byte[] json =
        "{\"node\":\"n1\",\"http\":\"h:1\",\"version\":\"9\",\"started\":\"2026-01-02T03:04:05Z\",\"zone\":\"x\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(codec.decodeMember(json).nodeId()).isEqualTo("n1");
  }

  @Test
  void refusesHostNamesWhereAddressesBelong() {
    assertThatThrownBy(() -> StoreCodec.literal("cafe"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoreCodec.literal("example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoreCodec.literal("1")).isInstanceOf(IllegalArgumentException.class);
    assertThat(StoreCodec.literal("::1").isLoopbackAddress()).isTrue();
  }

  @Test
  void rejectsGarbage() {
    assertThatThrownBy(() -> codec.decodeHealth("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
