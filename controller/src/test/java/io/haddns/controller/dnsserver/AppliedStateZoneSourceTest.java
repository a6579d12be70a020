package io.haddns.controller.dnsserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.store.StoreView;
import io.haddns.controller.testing.InMemoryStateStore;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppliedStateZoneSourceTest {
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final AppliedStateZoneSource source = new AppliedStateZoneSource(store);

  @Test
  void servesAppliedRecordsOfTheAskedZone() throws Exception {
    RecordSet com =
        new RecordSet(
            new RecordKey("a.example.com", RecordType.A),
            60,
            List.of(MutableZoneSource.address("192.0.2.1")));
    RecordSet org =
        new RecordSet(
            new RecordKey("a.example.org", RecordType.A),
            60,
            List.of(MutableZoneSource.address("192.0.2.2")));
    long epoch = store.beginTerm("/latch");
    store.putApplied(
        epoch,
        List.of(
            new AppliedRecord(com, "example.com", epoch, Instant.EPOCH),
            new AppliedRecord(org, "example.org", epoch, Instant.EPOCH)),
        List.of());

    assertThat(source.records("example.com")).containsExactly(java.util.Map.entry(com.key(), com));
    assertThat(source.records("example.net")).isEmpty();
  }

  @Test
  void signalsChangesOfTheAppliedViewAndOfTheMembers() {
    AtomicInteger signals = new AtomicInteger();
    source.subscribe(signals::incrementAndGet);

    source.changed(EnumSet.of(StoreView.HEALTH, StoreView.EPOCH));
    source.changed(Set.of(StoreView.APPLIED));
    source.changed(EnumSet.of(StoreView.EPOCH, StoreView.APPLIED));
    source.changed(EnumSet.of(StoreView.MEMBERS));

    assertThat(signals).hasValue(3);
  }

  @Test
  void nameServersAreTheMembersServingDnsOrderedByNodeId() {
    store.registerMember(member("node-b", "192.0.2.2", "2001:db8::2"));
    store.registerMember(member("node-a", "192.0.2.1"));
    store.registerMember(member("gateway-only"));

    assertThat(source.nameServerAddresses())
        .containsExactly(
            List.of(MutableZoneSource.address("192.0.2.1")),
            List.of(
                MutableZoneSource.address("192.0.2.2"), MutableZoneSource.address("2001:db8::2")));
  }

  @Test
  void advancesTheSerialOfZonesFollowingMembersWhenTheNameServersChange() {
    AppliedStateZoneSource following = new AppliedStateZoneSource(store, List.of("example.com"));
    store.registerMember(member("node-a", "192.0.2.1"));
    following.changed(EnumSet.of(StoreView.MEMBERS));
    long first = following.serial("example.com");

    following.changed(EnumSet.of(StoreView.MEMBERS));
    assertThat(following.serial("example.com")).isEqualTo(first);

    store.registerMember(member("node-b", "192.0.2.2"));
    following.changed(EnumSet.of(StoreView.MEMBERS));
    assertThat(following.serial("example.com")).isEqualTo(first + 1);
    assertThat(following.serial("example.org")).isZero();
  }

  @Test
  void keepsTheLastKnownNameServersAndSerialWhileTheMembersViewIsEmpty() {
    AppliedStateZoneSource following = new AppliedStateZoneSource(store, List.of("example.com"));
    store.registerMember(member("node-a", "192.0.2.1"));
    store.registerMember(member("node-b", "192.0.2.2"));
    following.changed(EnumSet.of(StoreView.MEMBERS));
    List<List<java.net.InetAddress>> known = following.nameServerAddresses();
    long serial = following.serial("example.com");

    store.removeMember("node-a");
    store.removeMember("node-b");
    following.changed(EnumSet.of(StoreView.MEMBERS));
    assertThat(following.nameServerAddresses()).isEqualTo(known).hasSize(2);
    assertThat(following.serial("example.com")).isEqualTo(serial);

    store.registerMember(member("node-b", "192.0.2.2"));
    store.registerMember(member("node-a", "192.0.2.1"));
    following.changed(EnumSet.of(StoreView.MEMBERS));
    assertThat(following.nameServerAddresses()).isEqualTo(known);
    assertThat(following.serial("example.com")).isEqualTo(serial);
  }

  @Test
  void zoneKeepsItsNsRrsetWithGlueWhileTheMembersViewIsEmpty() {
    AppliedStateZoneSource following = new AppliedStateZoneSource(store, List.of("example.com"));
    ZoneCatalog catalog =
        new ZoneCatalog(
            List.of(ServedZone.ofMembers("example.com")), SoaTimers.DEFAULTS, following);
    following.subscribe(catalog::refresh);
    store.registerMember(member("node-a", "192.0.2.1"));
    following.changed(EnumSet.of(StoreView.MEMBERS));

    store.removeMember("node-a");
    following.changed(EnumSet.of(StoreView.MEMBERS));

    ZoneSnapshot zone = catalog.snapshot("example.com").orElseThrow();
    assertThat(zone.nameservers())
        .containsExactly(
            new NameServer("ns1.example.com", List.of(MutableZoneSource.address("192.0.2.1"))));
    assertThat(zone.glue()).isNotEmpty();
  }

  private static MemberInfo member(String id, String... dns) {
    return new MemberInfo(
        id,
        "127.0.0.1:1",
        "test",
        Instant.EPOCH,
        java.util.Arrays.stream(dns).map(MutableZoneSource::address).toList());
  }
}
