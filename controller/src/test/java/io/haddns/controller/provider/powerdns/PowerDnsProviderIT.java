package io.haddns.controller.provider.powerdns;

import static io.haddns.controller.provider.powerdns.Records.a;
import static io.haddns.controller.provider.powerdns.Records.aaaa;
import static io.haddns.controller.provider.powerdns.Records.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.TermGuard;
import io.haddns.controller.provider.TransientProviderException;
import io.haddns.controller.testing.PdnsProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The provider against a real PowerDNS Authoritative server (gsqlite3 backend, HTTP API), each test
 * in a zone of its own; answers are checked with DNS queries to the server's own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PowerDnsProviderIT {
  private static final Logger log = LoggerFactory.getLogger(PowerDnsProviderIT.class);
  private static final int ZONES = 12;

  private PdnsProcess pdns;
  private final AtomicInteger nextZone = new AtomicInteger();
  private final List<PowerDnsProvider> providers = new ArrayList<>();

  @BeforeAll
  void startServer(@TempDir Path tmp) throws IOException {
    String[] zones =
        IntStream.rangeClosed(1, ZONES).mapToObj(i -> "p" + i + ".test").toArray(String[]::new);
    pdns = PdnsProcess.start(tmp.resolve("pdns"), zones);
  }

  @AfterAll
  void stopServer() {
    providers.forEach(PowerDnsProvider::close);
    if (pdns != null) {
      pdns.close();
    }
  }

  @Test
  void createsReplacesAndDeletesRecordSetsAndMarksThem() throws Exception {
    String zone = freshZone();
    PowerDnsProvider p = provider(zone);
    p.claim(1);
    RecordSet app = a("app." + zone, 30, "192.0.2.1", "192.0.2.2");
    RecordSet v6 = aaaa("v6." + zone, 60, "2001:db8::1");

    p.apply(List.of(new Change.Create(app), new Change.Create(v6)), 1);

    assertThat(addresses("app." + zone, Type.A))
        .containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    assertThat(pdns.query("app." + zone, Type.A))
        .allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(30));
    assertThat(addresses("v6." + zone, Type.AAAA)).containsExactly("2001:db8:0:0:0:0:0:1");
    assertThat(p.list()).containsExactlyInAnyOrder(app, v6);
    assertThat(p.ownedKeys()).containsExactlyInAnyOrder(app.key(), v6.key());
    assertThat(rawZone(zone))
        .contains("\"content\": \"managed-by=haddns\"")
        .contains("\"account\": \"haddns\"");

    RecordSet moved = a("app." + zone, 45, "198.51.100.9");
    p.apply(List.of(new Change.Update(app, moved), new Change.Delete(v6)), 1);

    assertThat(addresses("app." + zone, Type.A)).containsExactly("198.51.100.9");
    assertThat(pdns.query("app." + zone, Type.A))
        .singleElement()
        .satisfies(r -> assertThat(r.getTTL()).isEqualTo(45));
    assertThat(pdns.query("v6." + zone, Type.AAAA)).isEmpty();
    assertThat(p.list()).containsExactly(moved);
    assertThat(p.ownedKeys()).containsExactly(moved.key());
  }

  @Test
  void retriedApplyAfterItLandedIsHarmless() throws Exception {
    String zone = freshZone();
    PowerDnsProvider p = provider(zone);
    RecordSet app = a("app." + zone, 30, "192.0.2.1");
    List<Change> create = List.of(new Change.Create(app));

    p.apply(create, 1);
    p.apply(create, 1);
    p.apply(List.of(new Change.Delete(app)), 1);
    p.apply(List.of(new Change.Delete(app)), 1);

    assertThat(p.list()).isEmpty();
    assertThat(pdns.query("app." + zone, Type.A)).isEmpty();
  }

  @Test
  void foreignRecordIsReportedNeverDeletedAndMarkedOnceTakenOver() throws Exception {
    String zone = freshZone();
    assertThat(
            pdns.api(
                    "PATCH",
                    "/api/v1/servers/localhost/zones/" + zone + ".",
                    "{\"rrsets\":[{\"name\":\"mail."
                        + zone
                        + ".\",\"type\":\"A\",\"ttl\":300,\"changetype\":\"REPLACE\","
                        + "\"records\":[{\"content\":\"203.0.113.25\",\"disabled\":false}]}]}")
                .statusCode())
        .isEqualTo(204);
    PowerDnsProvider p = provider(zone);
    RecordSet foreign = a("mail." + zone, 300, "203.0.113.25");
    RecordSet other = a("app." + zone, 30, "192.0.2.1");

    assertThat(p.list()).containsExactly(foreign);
    assertThat(p.ownedKeys()).isEmpty();
    assertThat(p.foreignKeys()).containsExactly(foreign.key());
    assertThatThrownBy(() -> p.apply(List.of(new Change.Delete(foreign)), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("mail." + zone + "/A");

    assertThat(addresses("mail." + zone, Type.A)).containsExactly("203.0.113.25");
    assertThat(pdns.query("app." + zone, Type.A)).isEmpty();

    // The reconciler sends an update only for a record configured with adopt: true.
    PowerDnsProvider adopting = provider(zone);
    RecordSet taken = a("mail." + zone, 30, "192.0.2.66");
    adopting.apply(List.of(new Change.Create(other), new Change.Update(foreign, taken)), 1);
    assertThat(addresses("mail." + zone, Type.A)).containsExactly("192.0.2.66");
    adopting.list();
    assertThat(adopting.ownedKeys()).containsExactlyInAnyOrder(other.key(), taken.key());
  }

  @Test
  void refusedRrsetFailsThePatchAsAWholeAndIsPermanent() throws Exception {
    String zone = freshZone();
    assertThat(
            pdns.api(
                    "PATCH",
                    "/api/v1/servers/localhost/zones/" + zone + ".",
                    "{\"rrsets\":[{\"name\":\"alias."
                        + zone
                        + ".\",\"type\":\"CNAME\",\"ttl\":300,\"changetype\":\"REPLACE\","
                        + "\"records\":[{\"content\":\"elsewhere.example.\",\"disabled\":false}]}]}")
                .statusCode())
        .isEqualTo(204);
    PowerDnsProvider p = provider(zone);

    assertThatThrownBy(
            () ->
                p.apply(
                    List.of(
                        new Change.Create(a("ok." + zone, 30, "192.0.2.1")),
                        new Change.Create(a("alias." + zone, 30, "192.0.2.2"))),
                    1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("zone " + zone + ": PowerDNS PATCH")
        .hasMessageContaining("HTTP 422")
        .hasMessageContaining("records ok." + zone + "/A, alias." + zone + "/A");

    // One PATCH is one transaction at PowerDNS: the acceptable RRset did not land either.
    assertThat(pdns.query("ok." + zone, Type.A)).isEmpty();
    assertThat(p.list()).isEmpty();
  }

  @Test
  void wrongApiKeyIsPermanentNeverEchoedAndWritesNothing() throws Exception {
    String zone = freshZone();
    String wrongKey = "wrong-" + pdns.apiKey();
    PowerDnsProvider p =
        track(new PowerDnsProvider(zone, config(pdns.url(), wrongKey, 1000), TermGuard.NONE));

    assertThatThrownBy(
            () -> p.apply(List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1"))), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining(zone)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("API key was refused")
        .satisfies(
            e -> assertThat(e.getMessage()).doesNotContain(wrongKey).doesNotContain(pdns.apiKey()));
    assertThatThrownBy(p::list).isInstanceOf(PermanentProviderException.class);
    assertThatThrownBy(
            () -> p.apply(List.of(new Change.Delete(a("app." + zone, 30, "192.0.2.1"))), 1))
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("HTTP 401");
    assertThat(pdns.query("app." + zone, Type.A)).isEmpty();
  }

  @Test
  void unknownZoneIsPermanent() {
    PowerDnsProvider p = provider("not-there.test");

    assertThatThrownBy(p::list)
        .isInstanceOf(PermanentProviderException.class)
        .hasMessageContaining("not-there.test")
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("not found");
  }

  @Test
  void staleTermIsFencedBeforeAnyRequest() throws Exception {
    String zone = freshZone();
    AtomicLong term = new AtomicLong(5);
    PowerDnsProvider p =
        track(
            new PowerDnsProvider(
                zone, config(pdns.url(), pdns.apiKey(), 1000), TermGuard.behind(zone, term::get)));

    assertThatThrownBy(() -> p.claim(4)).isInstanceOf(FencedException.class);
    assertThatThrownBy(
            () -> p.apply(List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1"))), 4))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("epoch 4 is stale");
    p.claim(5);
    p.apply(List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1"))), 5);

    assertThat(addresses("app." + zone, Type.A)).containsExactly("192.0.2.1");
  }

  @Test
  void stoppedServerIsTransientAndTheSameApplySucceedsAfterRestart() throws Exception {
    String zone = freshZone();
    PowerDnsProvider p = provider(zone);
    List<Change> changes = List.of(new Change.Create(a("app." + zone, 30, "192.0.2.1")));

    pdns.stop();
    try {
      assertThatThrownBy(() -> p.apply(changes, 3))
          .isInstanceOf(TransientProviderException.class)
          .hasMessageContaining(zone)
          .hasMessageContaining("connection refused");
      assertThatThrownBy(p::list).isInstanceOf(TransientProviderException.class);
    } finally {
      pdns.start();
    }

    p.apply(changes, 3);
    assertThat(addresses("app." + zone, Type.A)).containsExactly("192.0.2.1");
  }

  @Test
  void tenThousandRecordSetsAreRepointedInPatchesOfTheBatchSize() throws Exception {
    String zone = freshZone();
    int count = 10_000;
    int batch = 1_000;
    AtomicInteger patches = new AtomicInteger();
    AtomicInteger gets = new AtomicInteger();
    HttpClient http = HttpClient.newHttpClient();
    PowerDnsApi.Exchange counting =
        request -> {
          (request.method().equals("PATCH") ? patches : gets).incrementAndGet();
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          return new PowerDnsApi.Response(
              r.statusCode(),
              r.headers().firstValue("Content-Type"),
              r.headers().firstValue("Retry-After"),
              r.body());
        };
    PowerDnsProvider p =
        track(
            new PowerDnsProvider(
                zone,
                config(pdns.url(), pdns.apiKey(), batch),
                TermGuard.NONE,
                Optional.of(counting)));
    List<RecordSet> before =
        IntStream.range(0, count).mapToObj(i -> a("h" + i + "." + zone, 30, "10.0.0.1")).toList();
    long t0 = System.nanoTime();
    p.apply(before.stream().<Change>map(Change.Create::new).toList(), 1);
    long created = System.nanoTime();
    assertThat(patches.get()).isEqualTo(count / batch);
    assertThat(p.maxChangesPerCall()).isEqualTo(batch);

    List<Change> repoint =
        before.stream()
            .<Change>map(r -> new Change.Update(r, a(r.key().name(), 30, "10.0.0.2")))
            .toList();
    patches.set(0);
    gets.set(0);
    long t1 = System.nanoTime();
    p.apply(repoint, 1);
    long repointed = System.nanoTime();

    assertThat(patches.get())
        .isEqualTo((count + p.maxChangesPerCall() - 1) / p.maxChangesPerCall());
    assertThat(gets.get()).as("updates need no read of the zone").isZero();
    log.info(
        "powerdns mass change: create {} RRsets {} ms, re-point {} ms, {} per PATCH",
        count,
        (created - t0) / 1_000_000,
        (repointed - t1) / 1_000_000,
        batch);
    List<RecordSet> listed = p.list();
    assertThat(listed)
        .hasSize(count)
        .allSatisfy(r -> assertThat(r.addresses()).containsExactly(Records.ip("10.0.0.2")));
    assertThat(p.ownedKeys()).hasSize(count);
    for (int i = 0; i < count; i += 97) {
      assertThat(addresses("h" + i + "." + zone, Type.A)).as("h" + i).containsExactly("10.0.0.2");
    }
    assertThat(addresses("h9999." + zone, Type.A)).containsExactly("10.0.0.2");
    http.close();
  }

  private String rawZone(String zone) throws IOException {
    return pdns.api("GET", "/api/v1/servers/localhost/zones/" + zone + ".", null).body();
  }

  private String freshZone() {
    int i = nextZone.incrementAndGet();
    assertThat(i).as("test zones left").isLessThanOrEqualTo(ZONES);
    return "p" + i + ".test";
  }

  private PowerDnsProvider provider(String zone) {
    return track(
        new PowerDnsProvider(zone, config(pdns.url(), pdns.apiKey(), 1000), TermGuard.NONE));
  }

  private PowerDnsProvider track(PowerDnsProvider p) {
    providers.add(p);
    return p;
  }

  private List<String> addresses(String name, int type) throws IOException {
    return pdns.query(name, type).stream().map(PowerDnsProviderIT::address).toList();
  }

  private static String address(Record r) {
    return r instanceof ARecord a
        ? a.getAddress().getHostAddress()
        : ((AAAARecord) r).getAddress().getHostAddress();
  }
}
