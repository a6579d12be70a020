package io.haddns.controller.provider.powerdns;

import static io.haddns.controller.provider.powerdns.Records.a;
import static io.haddns.controller.provider.powerdns.Records.aaaa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.Secret;
import io.haddns.controller.config.TsigConfig;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.rfc2136.Rfc2136DnsProvider;
import io.haddns.controller.testing.PdnsProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The RFC 2136 provider against the same real PowerDNS Authoritative server ({@code dnsupdate=yes},
 * a TSIG key imported with {@code pdnsutil import-tsig-key} and allowed per zone by the {@code
 * TSIG-ALLOW-DNSUPDATE} metadata): writes, and the fence record's compare-and-set, which relies on
 * PowerDNS honouring value-dependent "RRset exists" and "RRset does not exist" prerequisites (RFC
 * 2136 §2.4.2, §2.4.3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PowerDnsRfc2136IT {
  private static final int ZONES = 6;
  private static final String KEY = "haddns";

  private PdnsProcess pdns;
  private final List<String> secrets = new ArrayList<>();
  private final AtomicInteger nextZone = new AtomicInteger();
  private final List<Rfc2136DnsProvider> providers = new ArrayList<>();

  @BeforeAll
  void startServer(@TempDir Path tmp) throws IOException {
    String[] zones =
        IntStream.rangeClosed(1, ZONES).mapToObj(i -> "u" + i + ".test").toArray(String[]::new);
    pdns = PdnsProcess.start(tmp.resolve("pdns"), zones);
    for (int i = 0; i < ZONES; i++) {
      // One key per zone: pdns keys are global, the metadata ties each to its zone.
      secrets.add(pdns.allowDnsUpdate(zones[i], KEY + (i + 1)));
    }
  }

  @AfterAll
  void stopServer() {
    providers.forEach(Rfc2136DnsProvider::close);
    if (pdns != null) {
      pdns.close();
    }
  }

  @Test
  void createsReplacesAndDeletesRecordSets() throws Exception {
    int i = freshZone();
    String zone = zone(i);
    Rfc2136DnsProvider p = provider(i);
    p.claim(1);
    RecordSet app = a("app." + zone, 30, "192.0.2.1", "192.0.2.2");
    RecordSet v6 = aaaa("v6." + zone, 60, "2001:db8::1");

    p.apply(List.of(new Change.Create(app), new Change.Create(v6)), 1);
    assertThat(addresses("app." + zone)).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    assertThat(pdns.query("v6." + zone, Type.AAAA)).hasSize(1);

    RecordSet moved = a("app." + zone, 30, "198.51.100.9");
    p.apply(List.of(new Change.Update(app, moved), new Change.Delete(v6)), 1);
    assertThat(addresses("app." + zone)).containsExactly("198.51.100.9");
    assertThat(pdns.query("v6." + zone, Type.AAAA)).isEmpty();
    assertThat(p.list()).containsExactly(moved);
  }

  @Test
  void fenceIsClaimedAndTakenOverByCompareAndSet() throws Exception {
    int i = freshZone();
    String zone = zone(i);
    Rfc2136DnsProvider old = provider(i);
    Rfc2136DnsProvider next = provider(i);
    assertThat(old.readFence()).isEmpty();

    old.claim(1);
    next.claim(2);
    next.claim(2);

    assertThat(next.readFence()).contains(2L);
    assertThat(pdns.query("_haddns-fence." + zone, Type.TXT))
        .singleElement()
        .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("epoch=2"));
    assertThatThrownBy(() -> old.claim(1))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("epoch=2");
  }

  @Test
  void staleLeadersUpdateFailsItsPrerequisiteAndChangesNothing() throws Exception {
    int i = freshZone();
    String zone = zone(i);
    Rfc2136DnsProvider stale = provider(i);
    Rfc2136DnsProvider leader = provider(i);
    RecordSet app = a("app." + zone, 30, "192.0.2.1");
    stale.claim(1);
    stale.apply(List.of(new Change.Create(app)), 1);
    leader.claim(2);

    RecordSet hijack = a("app." + zone, 30, "203.0.113.66");
    assertThatThrownBy(
            () ->
                stale.apply(
                    List.of(
                        new Change.Update(app, hijack),
                        new Change.Create(a("new." + zone, 30, "203.0.113.67"))),
                    1))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("NXRRSET");

    assertThat(addresses("app." + zone)).containsExactly("192.0.2.1");
    assertThat(pdns.query("new." + zone, Type.A)).isEmpty();
    leader.apply(List.of(new Change.Update(app, hijack)), 2);
    assertThat(addresses("app." + zone)).containsExactly("203.0.113.66");
    assertThat(leader.list()).containsExactly(hijack);
  }

  private int freshZone() {
    int i = nextZone.incrementAndGet();
    assertThat(i).as("test zones left").isLessThanOrEqualTo(ZONES);
    return i;
  }

  private static String zone(int i) {
    return "u" + i + ".test";
  }

  private Rfc2136DnsProvider provider(int i) {
    TsigConfig tsig =
        new TsigConfig(
            KEY + i,
            "hmac-sha256",
            new Secret(Base64.getDecoder().decode(secrets.get(i - 1)), "test"));
    Rfc2136DnsProvider p =
        new Rfc2136DnsProvider(
            zone(i),
            new ProviderConfig.Rfc2136(
                "127.0.0.1", pdns.dnsPort(), Optional.of(tsig), 100, Duration.ofSeconds(5)),
            Optional.empty(),
            InstantSource.system());
    providers.add(p);
    return p;
  }

  private List<String> addresses(String name) throws IOException {
    return pdns.query(name, Type.A).stream()
        .map(Record.class::cast)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }
}
