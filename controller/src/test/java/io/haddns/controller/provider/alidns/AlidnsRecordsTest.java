package io.haddns.controller.provider.alidns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlidnsRecordsTest {
  private final AlidnsRecords mapping = new AlidnsRecords("example.com");
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode record(
      String id, String rr, String type, String value, String line, String remark)
      throws Exception {
    return json.readTree(
        "{\"RecordId\":\""
            + id
            + "\",\"RR\":\""
            + rr
            + "\",\"Type\":\""
            + type
            + "\",\"Value\":\""
            + value
            + "\",\"TTL\":600,\"Line\":\""
            + line
            + "\",\"Status\":\"ENABLE\""
            + (remark == null ? "" : ",\"Remark\":\"" + remark + "\"")
            + "}");
  }

  @Test
  void mapsNamesToRrAndBack() {
    assertThat(mapping.rr("example.com")).isEqualTo("@");
    assertThat(mapping.rr("WWW.Example.com.")).isEqualTo("www");
    assertThat(mapping.rr("*.dev.example.com")).isEqualTo("*.dev");
    assertThat(mapping.name("@")).isEqualTo("example.com");
    assertThat(mapping.name("a.b")).isEqualTo("a.b.example.com");
    assertThatThrownBy(() -> mapping.rr("example.net"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesARecordAndItsMark() throws Exception {
    Optional<AlidnsRecords.Record> r =
        mapping.parse(record("11", "www", "A", "192.0.2.1", "default", "managed-by=haddns"));

    assertThat(r).isPresent();
    assertThat(r.get().key()).isEqualTo(new RecordKey("www.example.com", RecordType.A));
    assertThat(r.get().marked()).isTrue();
    assertThat(r.get().ttl()).isEqualTo(600);
    assertThat(
            mapping.parse(record("12", "www", "A", "192.0.2.1", "default", "other")).get().marked())
        .isFalse();
    assertThat(mapping.parse(record("13", "www", "CNAME", "x.example.net", "default", null)))
        .isEmpty();
  }

  @Test
  void groupsRecordsOfTheLineIntoRrsets() throws Exception {
    List<AlidnsRecords.Record> all =
        List.of(
            mapping.parse(record("1", "app", "A", "192.0.2.2", "default", null)).orElseThrow(),
            mapping.parse(record("2", "app", "A", "192.0.2.1", "default", null)).orElseThrow(),
            mapping.parse(record("3", "app", "A", "192.0.2.9", "unicom", null)).orElseThrow(),
            mapping.parse(record("4", "@", "AAAA", "2001:db8::1", "default", null)).orElseThrow());

    Map<RecordKey, List<AlidnsRecords.Record>> grouped = AlidnsRecords.group(all, "default");

    assertThat(AlidnsRecords.recordSets(grouped))
        .containsExactlyInAnyOrder(
            new RecordSet(
                new RecordKey("app.example.com", RecordType.A),
                600,
                List.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"))),
            new RecordSet(
                new RecordKey("example.com", RecordType.AAAA),
                600,
                List.of(InetAddress.getByName("2001:db8::1"))));
  }
}
