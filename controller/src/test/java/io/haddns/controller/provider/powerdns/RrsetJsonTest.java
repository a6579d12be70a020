package io.haddns.controller.provider.powerdns;

import static io.haddns.controller.provider.powerdns.Records.a;
import static io.haddns.controller.provider.powerdns.Records.aaaa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.PermanentProviderException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RrsetJsonTest {
  private final ObjectMapper json = new ObjectMapper();
  private final RrsetJson mapping = new RrsetJson(json, "example.com");

  @Test
  void patchBodyReplacesWholeRrsetsWithTheMarkAndDeletesByNameAndType() throws Exception {
    var body =
        mapping.patchBody(
            List.of(
                new Change.Create(a("app.example.com", 30, "192.0.2.2", "192.0.2.1")),
                new Change.Update(
                    aaaa("v6.example.com", 60, "2001:db8::1"),
                    aaaa("v6.example.com", 90, "2001:db8::2")),
                new Change.Delete(a("old.example.com", 30, "192.0.2.9"))));

    // Shape per https://doc.powerdns.com/authoritative/http-api/zone.html (RRSet, Record, Comment).
    assertThat(json.writeValueAsString(body))
        .isEqualTo(
            "{\"rrsets\":["
                + "{\"name\":\"app.example.com.\",\"type\":\"A\",\"ttl\":30,\"changetype\":\"REPLACE\","
                + "\"records\":[{\"content\":\"192.0.2.1\",\"disabled\":false},"
                + "{\"content\":\"192.0.2.2\",\"disabled\":false}],"
                + "\"comments\":[{\"content\":\"managed-by=haddns\",\"account\":\"haddns\"}]},"
                + "{\"name\":\"v6.example.com.\",\"type\":\"AAAA\",\"ttl\":90,\"changetype\":\"REPLACE\","
                + "\"records\":[{\"content\":\"2001:db8:0:0:0:0:0:2\",\"disabled\":false}],"
                + "\"comments\":[{\"content\":\"managed-by=haddns\",\"account\":\"haddns\"}]},"
                + "{\"name\":\"old.example.com.\",\"type\":\"A\",\"changetype\":\"DELETE\"}"
                + "]}");
  }

  @Test
  void zoneParsingKeepsAddressRrsetsMarksOwnershipAndSkipsDisabledRecords() throws Exception {
    String zone =
        """
        {"name": "example.com.", "rrsets": [
          {"name": "example.com.", "type": "SOA", "ttl": 3600, "records": [{"content": "ns1. h. 1 2 3 4 5", "disabled": false}], "comments": []},
          {"name": "App.example.com.", "type": "A", "ttl": 30,
           "records": [{"content": "192.0.2.2", "disabled": false}, {"content": "192.0.2.1", "disabled": false}, {"content": "192.0.2.3", "disabled": true}],
           "comments": [{"content": "managed-by=haddns", "account": "haddns", "modified_at": 1}]},
          {"name": "mail.example.com.", "type": "AAAA", "ttl": 300, "records": [{"content": "2001:db8::25", "disabled": false}], "comments": [{"content": "mail server", "account": "ops"}]},
          {"name": "off.example.com.", "type": "A", "ttl": 300, "records": [{"content": "192.0.2.7", "disabled": true}], "comments": []}
        ]}
        """;

    ZoneContent content = mapping.parseZone(json.readTree(zone));

    assertThat(content.recordSets())
        .containsExactly(
            a("app.example.com", 30, "192.0.2.1", "192.0.2.2"),
            aaaa("mail.example.com", 300, "2001:db8::25"));
    assertThat(content.owned()).containsExactly(new RecordKey("app.example.com", RecordType.A));
    RecordKey off = new RecordKey("off.example.com", RecordType.A);
    assertThat(content.present()).hasSize(3).contains(off);
    assertThat(content.isForeign(off)).isTrue();
    assertThat(content.isForeign(new RecordKey("mail.example.com", RecordType.AAAA))).isTrue();
    assertThat(content.isForeign(new RecordKey("app.example.com", RecordType.A))).isFalse();
    assertThat(content.isForeign(new RecordKey("new.example.com", RecordType.A))).isFalse();
  }

  @Test
  void zoneWithoutRrsetsIsPermanent() throws Exception {
    assertThatThrownBy(() -> mapping.parseZone(json.readTree("{\"name\":\"example.com.\"}")))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("example.com");
  }

  @Test
  void nonAddressContentIsPermanentAndNeverResolved() throws Exception {
    String zone =
        "{\"rrsets\":[{\"name\":\"x.example.com.\",\"type\":\"A\",\"ttl\":1,"
            + "\"records\":[{\"content\":\"localhost\",\"disabled\":false}]}]}";
    assertThatThrownBy(() -> mapping.parseZone(json.readTree(zone)))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("x.example.com/A")
        .hasMessageContaining("'localhost'");
  }
}
