package io.haddns.controller.provider.route53;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

class Route53RecordsTest {
  private static ResourceRecordSet rrset(String name, RRType type, String... values) {
    return ResourceRecordSet.builder()
        .name(name)
        .type(type)
        .ttl(60L)
        .resourceRecords(
            List.of(values).stream().map(v -> ResourceRecord.builder().value(v).build()).toList())
        .build();
  }

  @Test
  void undoesRoute53OctalEscapes() {
    assertThat(Route53Records.canonical("\\052.Example.COM.")).isEqualTo("*.example.com");
  }

  @Test
  void mapsAddressRecordsBothWays() throws Exception {
    RecordSet rs =
        new RecordSet(
            new RecordKey("www.example.com", RecordType.AAAA),
            60,
            List.of(InetAddress.getByName("2001:db8::1")));
    ResourceRecordSet r = Route53Records.toRoute53(rs);
    assertThat(r.name()).isEqualTo("www.example.com.");
    assertThat(Route53Records.fromRoute53(r)).contains(rs);
  }

  @Test
  void ignoresAliasesRoutingPoliciesAndNonAddressValues() {
    ResourceRecordSet alias =
        ResourceRecordSet.builder()
            .name("a.example.com.")
            .type(RRType.A)
            .aliasTarget(AliasTarget.builder().dnsName("lb.test.").build())
            .build();
    assertThat(Route53Records.fromRoute53(alias)).isEmpty();
    assertThat(
            Route53Records.fromRoute53(
                rrset("a.example.com.", RRType.A, "192.0.2.1").toBuilder()
                    .setIdentifier("w1")
                    .build()))
        .isEmpty();
    assertThat(Route53Records.fromRoute53(rrset("a.example.com.", RRType.A, "host.test")))
        .isEmpty();
    assertThat(Route53Records.fromRoute53(rrset("a.example.com.", RRType.TXT, "\"x\""))).isEmpty();
  }

  @Test
  void recognisesOwnerRecordsOnlyWithTheMark() {
    RecordKey key = new RecordKey("*.example.com", RecordType.AAAA);
    assertThat(Route53Records.ownerName(key)).isEqualTo("_haddns-owner-aaaa.*.example.com.");
    assertThat(Route53Records.ownedKey(Route53Records.owner(key))).contains(key);
    assertThat(
            Route53Records.ownedKey(
                rrset(
                    "_haddns-owner-aaaa.\\052.example.com.", RRType.TXT, "\"managed-by=haddns\"")))
        .contains(key);
    assertThat(
            Route53Records.ownedKey(
                rrset("_haddns-owner-a.www.example.com.", RRType.TXT, "\"someone-else\"")))
        .isEmpty();
  }

  @Test
  void readsTheFenceEpochOnlyFromOneExactValue() {
    Route53Records names = new Route53Records("example.com");
    assertThat(Route53Records.fenceEpoch(names.fence(42))).contains(42L);
    assertThat(names.isFence(names.fence(42))).isTrue();
    assertThat(
            Route53Records.fenceEpoch(
                rrset("_haddns-fence.example.com.", RRType.TXT, "\"epoch=1\"", "\"epoch=2\"")))
        .isEmpty();
    assertThat(
            Route53Records.fenceEpoch(rrset("_haddns-fence.example.com.", RRType.TXT, "epoch=1")))
        .isEmpty();
  }
}
